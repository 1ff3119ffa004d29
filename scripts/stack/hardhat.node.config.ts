/**
 * Hardhat configuration of the stack's chain: the project's configuration plus a `custosNode` network
 * whose clock may start in the past (CUSTOS_CHAIN_INITIAL_DATE, ISO date). Integration tests use that:
 * alto judges a UserOperation's `validAfter` by the wall clock, so a chain clock behind the wall clock
 * lets tests time-travel the chain past a recovery delay and still have the bundler accept the
 * `executeRecovery` UserOperation.
 */
import { defineConfig } from "hardhat/config";
import base from "../../hardhat.config.js";

const initialDate = process.env.CUSTOS_CHAIN_INITIAL_DATE;

export default defineConfig({
  ...base,
  networks: {
    ...base.networks,
    custosNode: {
      type: "edr-simulated",
      chainType: "l1",
      ...(initialDate ? { initialDate } : {}),
    },
  },
});
