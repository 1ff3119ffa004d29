/**
 * The kit cipher checks backup passwords with zxcvbn, whose dictionaries weigh ~850 KB gzipped:
 * these modules load on first use (typing a password, saving a kit), not with the page.
 */
export const loadKit = () => import("@custos/backup");
export const loadPasswordStrength = () => import("@custos/backup");
