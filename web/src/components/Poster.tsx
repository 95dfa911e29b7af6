import { useState } from 'react';

/**
 * A title's poster, or a plain tile with its initial when there is none or it fails to
 * load (so a missing image never shows as a broken one). `alt` empty when the title is
 * already written next to it. `priority` for a poster at the top of its page, likely the
 * largest thing on it: fetched at once and first, not when scrolled to.
 */
export function Poster({
  url,
  title,
  alt,
  className,
  width,
  height,
  priority = false,
}: {
  url: string | null;
  title: string;
  alt: string;
  className: string;
  width: number;
  height: number;
  priority?: boolean;
}) {
  const [failed, setFailed] = useState(false);
  if (!url || failed) {
    return (
      <span className={`${className} poster-blank`} aria-hidden="true">
        {title.slice(0, 1)}
      </span>
    );
  }
  return (
    <img
      src={url}
      alt={alt}
      loading={priority ? 'eager' : 'lazy'}
      fetchPriority={priority ? 'high' : undefined}
      width={width}
      height={height}
      className={className}
      onError={() => setFailed(true)}
    />
  );
}
