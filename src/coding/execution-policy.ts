/**
 * Which languages a command-line executor runs (true) or only saves (false)
 * by default; shared by the local and Docker executors.
 */
export const DEFAULT_EXECUTION_POLICY: Readonly<Record<string, boolean>> = {
  bash: true,
  shell: true,
  sh: true,
  pwsh: true,
  powershell: true,
  ps1: true,
  python: true,
  javascript: false,
  html: false,
  css: false,
};
