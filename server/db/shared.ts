/** The process-wide database of a server process (the dApp's API routes), opened once from the environment. */
import { databaseConfigFromEnv, openDatabase, type Database } from "./index.js";

let shared: Promise<Database> | undefined;

export function sharedDatabase(): Promise<Database> {
  shared ??= openDatabase(databaseConfigFromEnv()).catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}
