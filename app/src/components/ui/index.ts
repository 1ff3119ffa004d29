/** The shared primitives of the Custos look: one place for buttons, cards, fields and messages. */
export { Button, ButtonLink, cx, type ButtonVariant } from "./Button";
export { Banner, type BannerTone } from "./Banner";
export { Card } from "./Card";
export { Choice } from "./Choice";
export { Field, type FieldProps } from "./Field";
export { Notice, type NoticeTone } from "./Notice";
export { default as ui } from "./ui.module.css";
