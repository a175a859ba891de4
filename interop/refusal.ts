// What an exporter could not write, and where in the model it comes from. The exporters are pure
// (IR in, text out) and know items by kind and name; the CLI turns a `Where` into
// file:line:column through the language's façade.

export type ItemKind = 'population' | 'connection' | 'input' | 'probe' | 'readout' | 'task' | 'concept' | 'target' | 'model' | 'simulate';

export interface Where {
  kind: ItemKind;
  /** The item's name (a population, input, named connection, model definition). */
  name?: string;
  /** The item's position among the IR's items of its kind (connections and probes may be unnamed). */
  index?: number;
  /** A property or assignment of the item: the place is its value where the item's body writes it. */
  property?: string;
  /** Model definitions: where they were defined (1-based line). */
  uri?: string;
  line?: number;
}

export interface Refusal {
  where: Where;
  /** What cannot be exported and what to change. */
  message: string;
}

export type ExportResult = { ok: true; text: string; warnings: Refusal[] } | { ok: false; refusals: Refusal[]; warnings: Refusal[] };
