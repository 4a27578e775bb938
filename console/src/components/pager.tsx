import { useState } from 'react';

/**
 * Cursor paging: the lists are read a page at a time (never whole). The caller keeps the stack of cursors it
 * came through, so "Previous" goes back without the API needing backward cursors.
 */
export function Pager(props: {
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  label: string;
  pageNumber: number;
}) {
  return (
    <nav className="pager" aria-label={props.label}>
      <button type="button" disabled={!props.hasPrevious} onClick={props.onPrevious}>
        Previous page
      </button>
      <span aria-live="polite">Page {props.pageNumber}</span>
      <button type="button" disabled={!props.hasNext} onClick={props.onNext}>
        Next page
      </button>
    </nav>
  );
}

/** The cursor stack behind a Pager: `after` for the current page, and moves forward and back. */
export function useCursorStack(): {
  after: string | null;
  page: number;
  next: (endCursor: string | null | undefined) => void;
  previous: () => void;
  reset: () => void;
} {
  const [stack, setStack] = useState<(string | null)[]>([null]);
  return {
    after: stack[stack.length - 1],
    page: stack.length,
    next: (endCursor) => endCursor && setStack((s) => [...s, endCursor]),
    previous: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    reset: () => setStack([null]),
  };
}
