import { errorDetails, errorMessage } from "@/lib/errors";

/** An error as one plain sentence (role=alert); the technical detail, if any, folded away beneath it. */
export function ErrorText({ error }: { error: unknown }) {
  if (error === null || error === undefined || error === "") return null;
  const details = errorDetails(error);
  return (
    <div className="error-box">
      <p className="error" role="alert">
        {errorMessage(error)}
      </p>
      {details && (
        <details className="tech">
          <summary>Technical details</summary>
          <pre>{details}</pre>
        </details>
      )}
    </div>
  );
}
