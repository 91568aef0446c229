/**
 * The floor of issue 14's history check on this host: a loop that does
 * nothing but compare two arrays of 4000 objects slot by slot (one and four
 * comparisons a step, as message-log.ts's check does), in ns per slot.
 *
 * usage: node bench/identity-floor.mjs
 */
const N = 4000;
const history = Array.from({ length: N }, (_, i) => ({ content: `message ${i}`, role: "user" }));
const log = [{ content: "system", role: "system" }, ...history];

function oneAStep(log, messages, offset) {
  let i = 0;
  while (i < messages.length && log[i + offset] === messages[i]) i++;
  return i;
}

function fourAStep(log, messages, offset) {
  let i = 0;
  const last4 = messages.length - 3;
  while (i < last4 && log[i + offset] === messages[i] && log[i + offset + 1] === messages[i + 1] && log[i + offset + 2] === messages[i + 2] && log[i + offset + 3] === messages[i + 3]) i += 4;
  while (i < messages.length && log[i + offset] === messages[i]) i++;
  return i;
}

for (const [name, compare] of [["one a step", oneAStep], ["four a step", fourAStep]]) {
  let checked = 0;
  for (let r = 0; r < 2000; r++) checked += compare(log, history, 1);
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < 20000; r++) checked += compare(log, history, 1);
  const ns = Number(process.hrtime.bigint() - t0);
  if (checked !== 22000 * N) throw new Error("the loop did not compare every slot");
  console.log(`${name}: ${(ns / 20000 / N).toFixed(2)} ns per slot`);
}
