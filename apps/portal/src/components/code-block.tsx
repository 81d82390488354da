import { CopyButton } from './copy-button';

/** A titled, copyable block of code or JSON. */
export function CodeBlock({
  title,
  code,
  language,
  copyLabel,
}: {
  title: string;
  code: string;
  /** Informational only (shown as a data attribute); no syntax highlighting yet. */
  language: 'json' | 'shell' | 'graphql' | 'javascript';
  copyLabel?: string;
}) {
  return (
    <figure className="code-block">
      <figcaption className="code-block__bar">
        <span className="code-block__title">{title}</span>
        <CopyButton text={code} label={copyLabel ?? 'Copy'} />
      </figcaption>
      {/* Focusable so keyboard users can scroll long lines horizontally. */}
      <pre className="code-block__body" tabIndex={0} data-language={language}>
        <code>{code}</code>
      </pre>
    </figure>
  );
}
