import { servedDeployment } from "../../../../../server/deployment";

/** The chain the dApp serves (deployments/<CUSTOS_NETWORK>.json); subscriptions are for its accounts. */
export function servedChainId(): number | undefined {
  return servedDeployment()?.chainId;
}

export function noDeployment(): Response {
  return Response.json(
    { error: { code: "NOT_CONFIGURED", message: "no Custos deployment for this network: deploy the contracts first" } },
    { status: 503 },
  );
}
