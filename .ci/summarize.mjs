// Sums the closing counts of every test runner in a CI log (mocha and Hardhat's Solidity runner,
// node:test, Playwright) and prints one line: "N passed, N failed".
import { readFileSync } from "node:fs";

const log = readFileSync(process.argv[2], "utf8").replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g"), "");
let passed = 0;
let failed = 0;
for (const line of log.split(/\r?\n/)) {
  let m;
  if ((m = /^\s*(\d+) passing\b/.exec(line)))
    passed += Number(m[1]); // mocha, hardhat test solidity
  else if ((m = /^\s*(\d+) failing\b/.exec(line))) failed += Number(m[1]);
  else if ((m = /^# pass (\d+)$/.exec(line)))
    passed += Number(m[1]); // node:test
  else if ((m = /^# fail (\d+)$/.exec(line))) failed += Number(m[1]);
  else if ((m = /^\s*(\d+) (passed|flaky) \(/.exec(line)) || (m = /^\s*(\d+) flaky$/.exec(line)))
    passed += Number(m[1]); // Playwright
  else if ((m = /^\s*(\d+) failed$/.exec(line))) failed += Number(m[1]);
}
console.log(`${passed} passed, ${failed} failed`);
