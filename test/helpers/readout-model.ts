// A planted readout model for the tests: two exc neurons, a cue that fires exc[0] in the even
// 100 ms windows and exc[1] in the odd ones (one-to-one, strong), a task over those windows with
// the labels given, and the readouts and extra lines given. Not a test file itself.

/** The model's text: `windows` windows of 100 ms; cue spikes at `at` ms into each window. */
export function plantedReadoutText(o: { windows: number; at: number[]; label: (w: number) => string; readouts: string; extra?: string; head?: string }): string {
  const times: string[] = [];
  const idx: number[] = [];
  for (let w = 0; w < o.windows; w++) for (const t of o.at) (times.push(`${w * 100 + t} ms`), idx.push(w % 2));
  return `${o.head ?? ''}population exc = LIF[2]
${o.extra ?? ''}input cue = spike_array[2] { times: [${times.join(', ')}]; indices: [${idx.join(', ')}] }
connect cue -> exc { rule: one_to_one; weight: 5 nA; target: I_syn }
task t {
  stimulus: cue
${Array.from({ length: o.windows }, (_, w) => `  window ${w * 100} ms .. ${(w + 1) * 100} ms: "${o.label(w)}"`).join('\n')}
}
${o.readouts}
probe spikes(exc)
`;
}
