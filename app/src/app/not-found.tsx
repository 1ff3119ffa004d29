import Link from "next/link";

/** A page that does not exist, in the site's own look, with the ways back. */
export default function NotFound() {
  return (
    <section className="card not-found" aria-labelledby="nf-h">
      <p className="big" aria-hidden="true">
        404
      </p>
      <h1 id="nf-h">This page does not exist</h1>
      <p>The link may be mistyped or out of date. Nothing about your wallet has changed.</p>
      <div className="actions center">
        <Link className="button" href="/">
          Home
        </Link>
        <Link className="button secondary" href="/dashboard">
          My wallet
        </Link>
      </div>
    </section>
  );
}
