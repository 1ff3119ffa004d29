/** A sentence for any thrown value: library errors already read as plain sentences (CustosError). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const short = (error as { shortMessage?: string }).shortMessage;
    return short && !error.message.startsWith(short) ? short : error.message;
  }
  return String(error);
}
