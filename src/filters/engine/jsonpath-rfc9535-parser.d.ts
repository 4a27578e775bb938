// The package exposes its parser as a subpath export, which moduleResolution "node" cannot see.
declare module 'jsonpath-rfc9535/parser' {
  /** Parses an RFC 9535 query into the library's AST; throws a SyntaxError with `location`. */
  export default function parse(input: string): unknown;
}
