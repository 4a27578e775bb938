import { createContext, useContext } from 'react';
import type { Viewer } from './graphql/portal';

/** What the signed-in credential may use (see graphql/portal.ts); the whole console until told otherwise. */
export const ViewerContext = createContext<Viewer>({ channel: null });

export function useViewer(): Viewer {
  return useContext(ViewerContext);
}
