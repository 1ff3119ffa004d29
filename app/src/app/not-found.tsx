import { ButtonLink, cx, ui } from "@/components/ui";
import styles from "./not-found.module.css";

/** A page that does not exist, in the site's own look, with the ways back. */
export default function NotFound() {
  return (
    <section className={cx(ui.card, styles.notFound)} aria-labelledby="nf-h">
      <p className={styles.code} aria-hidden="true">
        404
      </p>
      <h1 id="nf-h">This page does not exist</h1>
      <p>The link may be mistyped or out of date. Nothing about your wallet has changed.</p>
      <div className={cx(ui.actions, ui.center)}>
        <ButtonLink href="/">Home</ButtonLink>
        <ButtonLink variant="secondary" href="/dashboard">
          My wallet
        </ButtonLink>
      </div>
    </section>
  );
}
