import type { ComponentPropsWithoutRef } from 'react';
import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';

// Headings in a description sit under the page's own h1/h2: shift them down so the outline stays right.
const components: Components = {
  h1: ({ node: _node, ...props }: ComponentPropsWithoutRef<'h3'> & { node?: unknown }) => <h3 {...props} />,
  h2: ({ node: _node, ...props }: ComponentPropsWithoutRef<'h4'> & { node?: unknown }) => <h4 {...props} />,
  h3: ({ node: _node, ...props }: ComponentPropsWithoutRef<'h5'> & { node?: unknown }) => <h5 {...props} />,
  h4: ({ node: _node, ...props }: ComponentPropsWithoutRef<'h6'> & { node?: unknown }) => <h6 {...props} />,
};

/**
 * A catalog description (markdown, GitHub flavoured: tables, lists, links) rendered with
 * react-markdown into React elements — never through innerHTML. Raw HTML in the source is
 * dropped (`skipHtml`) and link and image URLs pass react-markdown's default filter, which
 * removes `javascript:` and other unsafe protocols.
 */
export function MarkdownText({ source }: { source: string }) {
  return (
    <div className="markdown">
      <Markdown remarkPlugins={[remarkGfm]} skipHtml components={components}>
        {source}
      </Markdown>
    </div>
  );
}
