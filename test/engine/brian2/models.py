"""Brian2 mirrors of the prelude neuron models (language-server/prelude/neurons.snn).

Integration follows the engine (LANGUAGE.md, "What a model means"):
- a model whose ODEs are all affine in their own variable and that declares no `method`
  (LIF, CobaLIF) is integrated by exponential Euler: each variable exactly over the step with
  the other variables frozen at the start of the step = Brian2 method='exponential_euler';
- `method rk2` (Izhikevich, AdEx) = Brian2 method='rk2' (the midpoint method:
  k = dt f(x, t); x' = x + dt f(x + k/2, t + dt/2)) for all of the model's equations.
Refractoriness: the variables assigned in `reset` carry `(unless refractory)`, nothing else;
the threshold is Brian2's, so no spike while refractory. Brian2 recomputes
not_refractory = timestep(t - lastspike) >= timestep(t_ref) at the start of every state
update; so after a spike stamped at step n (time t_n) the held variables stay at their reset
values through steps n+1 .. n+R-1 (R = round(t_ref/dt)) and integrate again from step n+R on,
i.e. from t_n + t_ref.
Brian2 also makes every write to an `(unless refractory)` variable conditional on
not_refractory: an on_pre `v_post += w` that arrives while the target is refractory is
DROPPED (v stays at its reset value, as LANGUAGE.md says). The drop window is steps n .. n+R-1:
it includes the spike step itself, because Brian2's schedule is state update -> thresholds ->
synapses -> resets, and the threshold has already cleared not_refractory. With t_ref = 0
(AdEx) only the spike step's own deliveries to v and w are dropped.

Parameters are group-level constants (the group's namespace), as in the .snn populations here.
"""
import brian2 as b2
from brian2 import mV, ms, pA, pF, nS, Mohm, kHz

PRELUDE = {
    'LIF': dict(
        params=dict(tau_m=20 * ms, R_m=100 * Mohm, E_l=-70 * mV, V_th=-50 * mV, V_reset=-70 * mV,
                    t_ref=2 * ms, tau_syn=5 * ms),
        eqs='''
        dv/dt = (E_l - v + R_m*(I_syn + I_e)) / tau_m : volt (unless refractory)
        dI_syn/dt = -I_syn / tau_syn : amp
        I_e : amp
        ''',
        init=dict(v='E_l', I_syn=0 * pA, I_e=0 * pA),
        threshold='v > V_th', reset='v = V_reset', refractory='t_ref',
        method='exponential_euler'),
    'CobaLIF': dict(
        params=dict(C_m=200 * pF, g_l=10 * nS, E_l=-60 * mV, E_e=0 * mV, E_i=-80 * mV, tau_e=5 * ms,
                    tau_i=10 * ms, V_th=-50 * mV, V_reset=-60 * mV, t_ref=5 * ms),
        eqs='''
        dv/dt = (g_l*(E_l - v) + g_e*(E_e - v) + g_i*(E_i - v) + I_e) / C_m : volt (unless refractory)
        dg_e/dt = -g_e / tau_e : siemens
        dg_i/dt = -g_i / tau_i : siemens
        I_e : amp
        ''',
        init=dict(v='E_l', g_e=0 * nS, g_i=0 * nS, I_e=0 * pA),
        threshold='v > V_th', reset='v = V_reset', refractory='t_ref',
        method='exponential_euler'),
    'Izhikevich': dict(
        params=dict(C=100 * pF, k=0.7 * nS / mV, v_r=-60 * mV, v_t=-40 * mV, v_peak=35 * mV,
                    a=0.03 * kHz, b=-2 * nS, c=-50 * mV, d=100 * pA, tau_syn=5 * ms),
        eqs='''
        dv/dt = (k*(v - v_r)*(v - v_t) - u + I_syn + I_e) / C : volt
        du/dt = a*(b*(v - v_r) - u) : amp
        dI_syn/dt = -I_syn / tau_syn : amp
        I_e : amp
        ''',
        init=dict(v='v_r', u=0 * pA, I_syn=0 * pA, I_e=0 * pA),
        threshold='v >= v_peak', reset='v = c; u += d', refractory=False,
        method='rk2'),
    'AdEx': dict(
        params=dict(C=281 * pF, g_L=30 * nS, E_L=-70.6 * mV, V_T=-50.4 * mV, Delta_T=2 * mV,
                    tau_w=144 * ms, a=4 * nS, b=80.5 * pA, V_r=-70.6 * mV, V_peak=-40.4 * mV,
                    tau_syn=5 * ms, t_ref=0 * ms),
        eqs='''
        dv/dt = (-g_L*(v - E_L) + g_L*Delta_T*exp((v - V_T)/Delta_T) - w + I_syn + I_e) / C : volt (unless refractory)
        dw/dt = (a*(v - E_L) - w) / tau_w : amp (unless refractory)
        dI_syn/dt = -I_syn / tau_syn : amp
        I_e : amp
        ''',
        init=dict(v='E_L', w=0 * pA, I_syn=0 * pA, I_e=0 * pA),
        threshold='v > V_peak', reset='v = V_r; w += b', refractory='t_ref',
        method='rk2'),
}


def neuron_group(model, n, name, overrides=None, method=None):
    """A NeuronGroup of the prelude `model` with the population's parameter `overrides`
    (Brian2 quantities), state at the model's initial values. Returns (group, params)."""
    spec = PRELUDE[model]
    params = dict(spec['params'])
    for k, v in (overrides or {}).items():
        if k not in params:
            raise KeyError(f'{model} has no parameter {k}')
        params[k] = v
    g = b2.NeuronGroup(n, spec['eqs'], threshold=spec['threshold'], reset=spec['reset'],
                       refractory=spec['refractory'], method=method or spec['method'],
                       namespace=dict(params), name=name)
    for var, init in spec['init'].items():
        setattr(g, var, params[init] if isinstance(init, str) else init)
    return g, params
