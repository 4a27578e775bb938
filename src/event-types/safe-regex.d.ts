declare module 'safe-regex' {
  /** False for a pattern whose backtracking can be exponential (star height > 1, or too many repetitions). */
  function safeRegex(pattern: string | RegExp, options?: { limit?: number }): boolean;
  export = safeRegex;
}
