// Types for playground.mjs, so TypeScript tests can import it.

export interface PlaygroundPlaces {
  /** The tracked examples folder (copied, never opened). */
  examples: string;
  /** The scratch folder `npm start` opens. */
  playground: string;
}

/** Copies `examples` into `playground` on the first call; later calls leave it as it is. */
export declare function preparePlayground(places: PlaygroundPlaces): { folder: string; created: boolean };

/** <repo>/examples → <repo>/.spikeworks/playground. */
export declare function defaultPlayground(repoRoot: string): PlaygroundPlaces;
