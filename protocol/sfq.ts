// The SFQ target's defaults, shared by the checker (language-server/src/check/target.ts) and the
// emulation (sim-host/src/targets/sfq/params.ts, which documents each value's source): SI units.
export const SFQ_DEFAULT = { clock: 50e9, i_c: 100e-6, bias_p50: 70e-6, bias_width: 1e-6, bias_step: 0, bias_voltage: 2.5e-3, cryo_overhead: 400 } as const;
