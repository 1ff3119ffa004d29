/** Saves text as a file through the browser's download (the user chooses where it goes). */
export function downloadText(filename: string, text: string, type = "application/json"): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function kitFilename(account: string): string {
  return `custos-recovery-kit-${account.slice(0, 8).toLowerCase()}.json`;
}
