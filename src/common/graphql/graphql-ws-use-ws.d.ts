// graphql-ws publishes `graphql-ws/use/ws` through its exports map only, which moduleResolution "node" does not read.
declare module 'graphql-ws/use/ws' {
  export { useServer } from 'graphql-ws/dist/use/ws';
}
