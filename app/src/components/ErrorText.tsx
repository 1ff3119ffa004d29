import { errorMessage } from "@/lib/errors";

export function ErrorText({ error }: { error: unknown }) {
  if (error === null || error === undefined || error === "") return null;
  return (
    <p className="error" role="alert">
      {typeof error === "string" ? error : errorMessage(error)}
    </p>
  );
}
