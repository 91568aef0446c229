/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.test.json" }],
  },
  moduleNameMapper: {
    "^ag2ts$": "<rootDir>/src/index.ts",
    "^ag2ts/(.*)$": "<rootDir>/src/$1",
  },
  testTimeout: 30000,
};
