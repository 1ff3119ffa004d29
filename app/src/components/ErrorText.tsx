import { errorDetails, errorMessage } from "@/lib/errors";
import { ui } from "@/components/ui";
import styles from "./ErrorText.module.css";

/** An error as one plain sentence (role=alert); the technical detail, if any, folded away beneath it. */
export function ErrorText({ error }: { error: unknown }) {
  if (error === null || error === undefined || error === "") return null;
  const details = errorDetails(error);
  return (
    <div>
      <p className={ui.error} role="alert">
        {errorMessage(error)}
      </p>
      {details && (
        <details className={styles.tech}>
          <summary>Technical details</summary>
          <pre>{details}</pre>
        </details>
      )}
    </div>
  );
}
