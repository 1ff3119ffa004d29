/** Calls the alert API and turns its error body into a sentence. */
export async function postAlerts<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const data = (await response.json().catch(() => ({}))) as { error?: { message?: string } } & T;
  if (!response.ok) throw new Error(data.error?.message ?? `the alert service answered ${response.status}`);
  return data;
}
