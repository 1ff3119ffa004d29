const MAX_BODY_BYTES = 512 * 1024;

/** Forwards one JSON-RPC POST to `upstream` unchanged; the browser never learns the upstream URL. */
export async function proxyJsonRpc(request: Request, upstream: string): Promise<Response> {
  const body = await request.text();
  if (body.length > MAX_BODY_BYTES) {
    return Response.json({ error: "request too large" }, { status: 413 });
  }
  try {
    const res = await fetch(upstream, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      cache: "no-store",
    });
    return new Response(await res.text(), {
      status: res.status,
      headers: { "content-type": "application/json", "cache-control": "no-store" },
    });
  } catch {
    return Response.json(
      { jsonrpc: "2.0", id: null, error: { code: -32603, message: "The node behind this dApp is not reachable." } },
      { status: 502 },
    );
  }
}
