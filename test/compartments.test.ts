// Multicompartment neurons: `compartments { soma { … } dend { … } couple soma, dend { g } }` is
// flattened into ordinary variables (soma_v, dend_v, soma_I_axial); the run is checked against
// the closed form of a passive two-compartment divider (steady state and both time constants
// from the conductances, by hand), and the checker's dt bound against the 2×2 eigenvalues.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Simulation } from '../sim-host/src/engine';
import { spectralRadius } from '../language-server/src/check/compartments';
import { irOf, outcomeOf } from './helpers/model';
import { freshProgram } from './helpers/corpus';
import { complete } from '../language-server/src/features/completion';
import { hover } from '../language-server/src/features/hover';
import { outline } from '../language-server/src/features/outline';
import { semanticTokens, TOKEN_TYPES } from '../language-server/src/features/tokens';
import { prepareRename } from '../language-server/src/features/navigation';
import { LineIndex } from '../language-server/src/text';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './helpers/build';

// Soma and dendrite: C = 100 pF, g_l = 10 nS, E_l = −70 mV each, axial g = 15 nS, 200 pA into
// the soma. With S = (v_s + v_d)/2 − E_l and D = v_s − v_d:
//   C dS/dt = I/2 − g_l·S          → S = I/(2 g_l)·(1 − e^(−t/τ1)), τ1 = C/g_l = 10 ms, S∞ = 10 mV
//   C dD/dt = I − (g_l + 2g)·D     → D = I/(g_l + 2g)·(1 − e^(−t/τ2)), τ2 = C/(g_l + 2g) = 2.5 ms, D∞ = 5 mV
// so v_s → −57.5 mV and v_d → −62.5 mV.
const C = 100e-12, GL = 10e-9, G = 15e-9, I = 200e-12, E = -70e-3;
const TAU1 = C / GL, TAU2 = C / (GL + 2 * G);
const closed = (t: number) => {
  const S = (I / (2 * GL)) * (1 - Math.exp(-t / TAU1));
  const D = (I / (GL + 2 * G)) * (1 - Math.exp(-t / TAU2));
  return { soma: E + S + D / 2, dend: E + S - D / 2 };
};

const divider = (method: string, dt = '0.05 ms', g = '15 nS') => `neuron Divider {
  parameters { E_l = -70 mV; I_inj = 200 pA }
  compartments {
    soma {
      parameters { C_m = 100 pF; g_l = 10 nS }
      state { v: mV = -70 mV }
      equations { dv/dt = (g_l*(E_l - v) + I_axial + I_inj) / C_m }
    }
    dend {
      parameters { C_m = 100 pF; g_l = 10 nS }
      state { v: mV = -70 mV }
      equations { dv/dt = (g_l*(E_l - v) + I_axial) / C_m }
    }
    couple soma, dend { g: ${g} }
  }
  method ${method}
}
population d = Divider[1]
probe soma_v(d) every ${dt}
probe dend_v(d) every ${dt}
probe soma_I_axial(d) every ${dt}
simulate { dt: ${dt}; duration: 60 ms }
`;

describe('multicompartment neurons', () => {
  it('flatten into per-neuron variables: no IR construct of their own', () => {
    const ir = irOf(divider('rk4'));
    const m = ir.models.Divider;
    assert.deepEqual(m.state.map((s) => s.name).sort(), ['dend_v', 'soma_v']);
    assert.deepEqual(m.odes.map((o) => o.variable).sort(), ['dend_v', 'soma_v']);
    assert.ok(m.parameters.some((p) => p.name === 'soma_dend_g' && p.default === 15e-9));
    assert.ok(m.aliases.some((a) => a.name === 'soma_I_axial') && m.aliases.some((a) => a.name === 'dend_I_axial'));
  });

  it('a passive two-compartment divider follows the closed form (rk4: within 0.1 µV; steady state −57.5 / −62.5 mV)', () => {
    const r = new Simulation(irOf(divider('rk4')), { seed: 1 }).run();
    const tr = (v: string) => r.traces.find((t) => t.variable === v)!;
    const soma = tr('soma_v'), dend = tr('dend_v'), axial = tr('soma_I_axial');
    let worst = 0;
    for (let k = 0; k < soma.data.length; k++) {
      const t = k * soma.every;
      const c = closed(t);
      worst = Math.max(worst, Math.abs(soma.data[k] - c.soma), Math.abs(dend.data[k] - c.dend));
      // The axial current into the soma is g·(v_d − v_s) = −g·D.
      assert.ok(Math.abs(axial.data[k] - G * (c.dend - c.soma)) < 1e-14 + 1e-4 * G * 5e-3, `I_axial at ${t}: ${axial.data[k]}`);
    }
    assert.ok(worst < 1e-7, `largest deviation from the closed form ${worst * 1e6} µV`);
    const last = soma.data.length - 1;
    // After 60 ms = 6 τ1 both are within 0.03 mV of the steady state the conductances give.
    assert.ok(Math.abs(soma.data[last] - -57.5e-3) < 3e-5 && Math.abs(dend.data[last] - -62.5e-3) < 3e-5, `${soma.data[last]}, ${dend.data[last]}`);
  });

  it('the default method (exact: exponential Euler, each compartment with the other frozen) converges to the same curve', () => {
    const r = new Simulation(irOf(divider('exact', '0.01 ms')), { seed: 1 }).run();
    const soma = r.traces.find((t) => t.variable === 'soma_v')!;
    let worst = 0;
    for (let k = 0; k < soma.data.length; k++) worst = Math.max(worst, Math.abs(soma.data[k] - closed(k * soma.every).soma));
    assert.ok(worst < 2e-5, `largest deviation ${worst * 1e3} mV`);
  });

  it('the checker bounds dt by the eigenvalues of the passive cable: an error at 1.01× the bound, none at 0.99×', () => {
    // J = [[−(g_l + g)/C, g/C], [g/C, −(g_l + g)/C]]: eigenvalues −g_l/C and −(g_l + 2g)/C, by hand.
    const lambda = (GL + 2 * G) / C;
    for (const [method, limit] of [['euler', 2], ['rk2', 2], ['rk4', 2.785293563405282]] as const) {
      const bound = limit / lambda;
      const at = (f: number) => {
        const o = outcomeOf(divider(method, `${(bound * f * 1e3).toPrecision(8)} ms`));
        return o.ok ? [] : o.diagnostics.filter((d) => d.code === 'unstable-dt');
      };
      assert.equal(at(0.99).length, 0, `${method} at 0.99× the bound`);
      const errs = at(1.01);
      assert.equal(errs.length, 1, `${method} at 1.01× the bound`);
      assert.match(errs[0].message, new RegExp(`method ${method} needs dt`));
    }
    // exact has no bound: stable at any dt for conductance couplings.
    const o = outcomeOf(divider('exact', '10 ms'));
    assert.ok(o.ok || !o.diagnostics.some((d) => d.code === 'unstable-dt'));
  });

  it('and that bound is real: euler just above it grows, just below it decays', () => {
    const lambda = (GL + 2 * G) / C;
    const swing = (f: number) => {
      // Run the unstable model anyway through the IR of a stable one with dt replaced.
      const ir = irOf(divider('euler', '0.1 ms'));
      ir.simulate.dt = (2 / lambda) * f;
      ir.simulate.duration = ir.simulate.dt * 400;
      for (const p of ir.probes) if (p.every !== undefined) p.every = ir.simulate.dt;
      const soma = new Simulation(ir, { seed: 1 }).run().traces.find((t) => t.variable === 'soma_v')!;
      const d = soma.data;
      return Math.abs(d[d.length - 1] - d[d.length - 2]);
    };
    assert.ok(swing(1.01) > 1e-3, 'above the bound the fast mode grows');
    assert.ok(swing(0.99) < 1e-4, 'below it the fast mode dies out');
  });

  it('spectralRadius: the 2×2 case by hand and a 3-compartment chain against its characteristic polynomial', () => {
    // [[−150, 100], [200, −250]]: trace −400, det 17500 → λ = −50, −350.
    assert.ok(Math.abs(spectralRadius([[-150, 100], [200, -250]]) - 350) < 1e-9);
    // A symmetric chain a–b–c with unit capacitances: [[−2, 1, 0], [1, −2, 1], [0, 1, −2]] has λ = −2 ± √2, −2.
    assert.ok(Math.abs(spectralRadius([[-2, 1, 0], [1, -2, 1], [0, 1, -2]]) - (2 + Math.SQRT2)) < 1e-12);
  });

  describe('in the editor', () => {
    const uri = 'file:///virtual/two_compartment.snn';
    const text = fs.readFileSync(path.join(repoRoot, 'examples/two_compartment.snn'), 'utf8');
    const program = freshProgram();
    program.setText(uri, text);
    const a = () => program.analyze(uri);
    const at = (needle: string, k = 0) => text.indexOf(needle) + k;

    it('the example checks clean', () => {
      assert.deepEqual(a().diagnostics.filter((d) => d.severity === 1 || d.severity === 2).map((d) => d.message), []);
    });

    it("completion: in a compartment's equations its own names unprefixed and I_axial; in couple the compartments; in compartments couple", () => {
      const eq = at('dv/dt = (g_l*(E_l - v) + I_axial) / C_m') + 'dv/dt = ('.length;
      const labels = complete(a(), eq).map((c) => c.label);
      for (const l of ['v', 'g_l', 'C_m', 'I_axial', 'E_l', 'dend_v']) assert.ok(labels.includes(l), `${l} in ${labels.join(' ')}`);
      assert.ok(!labels.includes('soma_v'), 'soma_v is v inside soma');
      const cp = complete(a(), at('couple soma, dend') + 'couple '.length).map((c) => c.label);
      assert.deepEqual(cp.sort(), ['dend', 'soma']);
      const top = complete(a(), at('    couple') + 4).map((c) => c.label);
      assert.ok(top.includes('couple') && top.includes('compartment'), top.join(' '));
      const sec = complete(a(), at('      state { v: mV = -70 mV }\n      equations { dv/dt = (g_l') + 6).map((c) => c.label);
      assert.deepEqual(sec.sort(), ['equations', 'parameters', 'state']);
    });

    it('hover: a compartment name lists its flattened variables and couplings; a flattened name is a state variable', () => {
      const h = hover(a(), at('couple soma, dend') + 'couple soma, d'.length)!;
      assert.match(h.markdown, /compartment TwoCompartment\.dend/);
      assert.match(h.markdown, /dend_I_e/);
      assert.match(h.markdown, /coupled to soma \(g = 10 nS\)/);
      const v = hover(a(), at('spike when soma_v') + 'spike when '.length + 2)!;
      assert.match(v.markdown, /state TwoCompartment\.soma_v: mV/);
      assert.match(hover(a(), at('compartments {') + 2)!.markdown, /Multicompartment neuron/);
    });

    it('outline: compartments are children of the neuron, their variables inside them', () => {
      const n = outline(a()).find((x) => x.name === 'TwoCompartment')!;
      const comps = n.children.filter((c) => c.detail === 'compartment');
      assert.deepEqual(comps.map((c) => c.name), ['soma', 'dend']);
      assert.ok(comps[1].children.some((c) => c.name === 'dend_I_e') && comps[0].children.some((c) => c.name === 'soma_v'));
      assert.ok(n.children.some((c) => c.name === 'E_l'), 'model-level parameters stay direct children');
    });

    it('semantic tokens: compartment names are types, couple a keyword', () => {
      const data = semanticTokens(a(), new LineIndex(text), () => false);
      const lines = new LineIndex(text);
      const typeAt = (off: number) => {
        const p = lines.position(off);
        let line = 0, ch = 0;
        for (let k = 0; k < data.length; k += 5) {
          line += data[k];
          ch = data[k] === 0 ? ch + data[k + 1] : data[k + 1];
          if (line === p.line && ch === p.character) return TOKEN_TYPES[data[k + 3]];
        }
        return undefined;
      };
      assert.equal(typeAt(at('    soma {') + 4), 'type');
      assert.equal(typeAt(at('couple soma')), 'keyword');
      assert.equal(typeAt(at('couple soma, dend') + 'couple soma, '.length), 'type');
    });

    it('rename of a compartment or a compartment variable is refused with the reason', () => {
      const r1 = prepareRename(program, uri, at('    dend {') + 5);
      assert.ok(!r1.ok && /compartment names cannot be renamed/.test(r1.message));
      const r2 = prepareRename(program, uri, at('spike when soma_v') + 'spike when '.length + 1);
      assert.ok(!r2.ok && /belongs to a compartment of TwoCompartment/.test(r2.message), JSON.stringify(r2));
      const r3 = prepareRename(program, uri, at('V_th = -50 mV') + 1);
      assert.ok(r3.ok, 'model-level names rename as before');
    });
  });
});
