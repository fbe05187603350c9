"""The usual wrong answers of exercise 03's visible tests, computed from the references; the student package ships
them as values (`autograder.mistake_tables`).

Exercise 3's test cells name a student's mistake by comparing the answer with the usual wrong answers (`mistakes=`
of `trainfaster.checks`), and computing those needs the right update first: the momentum, RMSProp, Adam, Nesterov,
AdamW and Muon steps, clipping and the Newton–Schulz iteration. So they are computed here, not in the notebook. Each
function returns a dict: `{result name: {what to fix: the wrong value}}` for the functions returning several results
(`"parameters"`, `"v"`, `"s"`, `"clipped"`, `"total_norm"`), `{what to fix: the wrong value}` for one result. The
student package answers only the visible tests' inputs, `{}` for any other (the test cells read it with `.get`).

None of these calls a graded reference of the library (the package withholds those): each formula is written here.
"""

import numpy as np

NS_COEFFICIENTS = (3.4445, -4.7750, 2.0315)


def momentum_mistakes(parameters, grads, v, beta, learning_rate):
    """`{"parameters": {...}, "v": {...}}`: the velocity and parameters the usual wrong answers return."""
    def velocity(past, new):
        return {k: past * v[k] + new * grads[k] for k in grads}

    def moved(step, keys="Wb"):
        return {n: p - learning_rate * step["d" + n] if n[0] in keys else p for n, p in parameters.items()}

    right = velocity(beta, 1 - beta)
    v_mistakes = {
        "is missing the factor (1 - beta): v = beta * v + (1 - beta) * dW.": velocity(beta, 1.0),
        "swaps beta and (1 - beta): the old velocity gets beta, the gradient gets (1 - beta).": velocity(1 - beta, beta),
        "was not updated: return the new velocity.": v,
    }
    parameter_mistakes = {
        "took a plain gradient step: step along the velocity, W = W - learning_rate * v.": moved(grads),
        "stepped along the old velocity: update v first, then step along the new v.": moved(v),
        "is missing the factor (1 - beta) in v: v = beta * v + (1 - beta) * dW.": moved(velocity(beta, 1.0)),
        "moved along the velocity instead of against it: subtract learning_rate * v.":
            {n: p + learning_rate * right["d" + n] for n, p in parameters.items()},
        "was not updated: update b as well as W in every layer.": moved(right, keys="W"),
    }
    return {"parameters": parameter_mistakes, "v": v_mistakes}


def rmsprop_mistakes(parameters, grads, s, beta2, learning_rate, epsilon):
    """`{"parameters": {...}, "s": {...}}`: the state and parameters the usual wrong answers return."""
    def average(past, new, power=2):
        return {k: past * s[k] + new * grads[k] ** power for k in grads}

    def moved(denominator, state, keys="Wb"):
        return {n: p - learning_rate * grads["d" + n] / denominator(state["d" + n]) if n[0] in keys else p
                for n, p in parameters.items()}

    right = average(beta2, 1 - beta2)
    s_mistakes = {
        "averages the gradients, not their squares: s = beta2 * s + (1 - beta2) * dW**2.": average(beta2, 1 - beta2, 1),
        "is missing the factor (1 - beta2): s = beta2 * s + (1 - beta2) * dW**2.": average(beta2, 1.0),
        "swaps beta2 and (1 - beta2): the old s gets beta2, the squared gradient gets (1 - beta2).": average(1 - beta2, beta2),
        "was not updated: return the new s.": s,
    }
    parameter_mistakes = {
        "has epsilon inside the square root: divide by sqrt(s) + epsilon, not sqrt(s + epsilon).":
            moved(lambda x: np.sqrt(x + epsilon), right),
        "divides by s, not by its square root: divide by sqrt(s) + epsilon.": moved(lambda x: x + epsilon, right),
        "has no epsilon in the denominator: divide by sqrt(s) + epsilon.": moved(np.sqrt, right),
        "stepped with the old s: update s first, then divide by the new sqrt(s).": moved(lambda x: np.sqrt(x) + epsilon, s),
        "was not updated: update b as well as W in every layer.": moved(lambda x: np.sqrt(x) + epsilon, right, keys="W"),
    }
    if epsilon == 1e-8 and max(np.abs(g).max() for g in grads.values()) < 1e-4:  # the default, where it shows
        for other in (1e-7, 1e-6, 1e-10, 0.0):
            parameter_mistakes[f"uses a default epsilon of {other:g}: keep the default epsilon=1e-8."] = \
                moved(lambda x, other=other: np.sqrt(x) + other, right)
    return {"parameters": parameter_mistakes, "s": s_mistakes}


def adam_mistakes(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon):
    """`{"parameters": {...}, "v": {...}, "s": {...}}`: the state and parameters the usual wrong answers return."""
    v_new = {k: beta1 * v[k] + (1 - beta1) * grads[k] for k in grads}
    s_new = {k: beta2 * s[k] + (1 - beta2) * grads[k] ** 2 for k in grads}
    c1, c2 = 1 - beta1**t, 1 - beta2**t

    def moved(direction, keys="Wb"):
        return {n: p - learning_rate * direction(v_new["d" + n], s_new["d" + n]) if n[0] in keys else p
                for n, p in parameters.items()}

    v_mistakes = {
        "is missing the factor (1 - beta1): v = beta1 * v + (1 - beta1) * dW.":
            {k: beta1 * v[k] + grads[k] for k in grads},
        "is bias-corrected: return the plain average v; only the step uses v / (1 - beta1**t).":
            {k: x / c1 for k, x in v_new.items()},
        "averages the squared gradients: v averages dW, s averages dW**2.": s_new,
    }
    s_mistakes = {
        "averages the gradients, not their squares: s = beta2 * s + (1 - beta2) * dW**2.":
            {k: beta2 * s[k] + (1 - beta2) * grads[k] for k in grads},
        "is missing the factor (1 - beta2): s = beta2 * s + (1 - beta2) * dW**2.":
            {k: beta2 * s[k] + grads[k] ** 2 for k in grads},
        "is bias-corrected: return the plain average s; only the step uses s / (1 - beta2**t).":
            {k: x / c2 for k, x in s_new.items()},
    }
    parameter_mistakes = {
        "has no bias correction: divide v by (1 - beta1**t) and s by (1 - beta2**t) before the step.":
            moved(lambda v, s: v / (np.sqrt(s) + epsilon)),
        "uses (1 - beta1) and (1 - beta2) in the bias correction: write beta1**t and beta2**t, with the power t.":
            moved(lambda v, s: v / (1 - beta1) / (np.sqrt(s / (1 - beta2)) + epsilon)),
        "corrects v but not s: divide s by (1 - beta2**t) too.": moved(lambda v, s: v / c1 / (np.sqrt(s) + epsilon)),
        "corrects s but not v: divide v by (1 - beta1**t) too.": moved(lambda v, s: v / (np.sqrt(s / c2) + epsilon)),
        "has epsilon inside the square root: divide by sqrt(s_hat) + epsilon, not sqrt(s_hat + epsilon).":
            moved(lambda v, s: v / c1 / np.sqrt(s / c2 + epsilon)),
        "divides sqrt(s) by (1 - beta2**t): the correction goes inside the root, sqrt(s / (1 - beta2**t)).":
            moved(lambda v, s: v / c1 / (np.sqrt(s) / c2 + epsilon)),
        "uses the power t + 1 in the bias correction: the power is t itself (the first step is t = 1).":
            moved(lambda v, s: v / (1 - beta1 ** (t + 1)) / (np.sqrt(s / (1 - beta2 ** (t + 1))) + epsilon)),
        "was not updated: update b as well as W in every layer.":
            moved(lambda v, s: v / c1 / (np.sqrt(s / c2) + epsilon), keys="W"),
        "multiplies by the bias correction: divide, v / (1 - beta1**t) and s / (1 - beta2**t), which enlarges them.":
            moved(lambda v, s: v * c1 / (np.sqrt(s * c2) + epsilon)),
        "moved with the gradient instead of against it: subtract learning_rate * v_hat / (sqrt(s_hat) + epsilon).":
            moved(lambda v, s: -v / c1 / (np.sqrt(s / c2) + epsilon)),
    }
    return {"parameters": parameter_mistakes, "v": v_mistakes, "s": s_mistakes}


def nesterov_mistakes(parameters, grads, v, beta, learning_rate):
    """`{"parameters": {...}, "v": {...}}`: the velocity and parameters the usual wrong answers return."""
    def velocity(past, new, start=v):
        return {k: past * start[k] + new * grads[k] for k in grads}

    def moved(step, keys="Wb", sign=1):
        return {n: p - sign * learning_rate * step["d" + n] if n[0] in keys else p for n, p in parameters.items()}

    right = velocity(beta, 1 - beta)
    no_factor = velocity(beta, 1.0)
    v_mistakes = {
        "is missing the factor (1 - beta): v = beta * v + (1 - beta) * dW.": no_factor,
        "swaps beta and (1 - beta): the old velocity gets beta, the gradient gets (1 - beta).": velocity(1 - beta, beta),
        "was not updated: return the new velocity.": v,
        "is the step beta * v + (1 - beta) * dW: return the velocity v = beta * v + (1 - beta) * dW itself.":
            velocity(beta, 1 - beta, right),
    }
    parameter_mistakes = {
        "took plain momentum's step along v (or beta * v + (1 - beta) * dW with the old v, which is the same): update v "
        "first, then step along beta * v + (1 - beta) * dW with the new v.": moved(right),
        "took a plain gradient step: step along beta * v + (1 - beta) * dW.": moved(grads),
        "is missing the factor (1 - beta) in front of dW in the step: W = W - learning_rate * (beta * v + (1 - beta) * dW).":
            moved(velocity(beta, 1.0, right)),
        "is missing the factor (1 - beta) in v: v = beta * v + (1 - beta) * dW.": moved(velocity(beta, 1 - beta, no_factor)),
        "has no factor (1 - beta) at all: that is PyTorch's form, whose learning rate is yours times (1 - beta).":
            moved(velocity(beta, 1.0, no_factor)),
        "steps with beta**2 * v: the step is beta * v + (1 - beta) * dW, with beta once.":
            moved({k: beta**2 * right[k] + (1 - beta) * grads[k] for k in grads}),
        "moved along the step instead of against it: subtract learning_rate * (beta * v + (1 - beta) * dW).":
            moved(velocity(beta, 1 - beta, right), sign=-1),
        "was not updated: update b as well as W in every layer.": moved(velocity(beta, 1 - beta, right), keys="W"),
    }
    return {"parameters": parameter_mistakes, "v": v_mistakes}


def adamw_mistakes(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon, weight_decay):
    """`{"parameters": {...}, "v": {...}, "s": {...}}`: the state and parameters the usual wrong answers return."""
    def adam(g):  # Adam's new averages and step direction for the gradients g
        v_new = {k: beta1 * v[k] + (1 - beta1) * g[k] for k in g}
        s_new = {k: beta2 * s[k] + (1 - beta2) * g[k] ** 2 for k in g}
        step = {k: v_new[k] / (1 - beta1**t) / (np.sqrt(s_new[k] / (1 - beta2**t)) + epsilon) for k in g}
        return v_new, s_new, step

    v_new, s_new, step = adam(grads)
    l2_grads = {k: g + weight_decay * parameters[k[1:]] for k, g in grads.items()}
    v_l2, s_l2, step_l2 = adam(l2_grads)
    adam_only = {n: p - learning_rate * step["d" + n] for n, p in parameters.items()}

    def decayed(base, factor, keys="Wb"):
        return {n: base[n] - factor * parameters[n] if n[0] in keys else base[n] for n in parameters}

    l2 = "adds the decay to the gradient (an L2 penalty) instead of decoupling it: compute v and s from dW alone, " \
         "then subtract learning_rate * weight_decay * W in the step."
    v_mistakes = {l2: v_l2, "is bias-corrected: return the plain average v.": {k: x / (1 - beta1**t) for k, x in v_new.items()}}
    s_mistakes = {l2: s_l2, "is bias-corrected: return the plain average s.": {k: x / (1 - beta2**t) for k, x in s_new.items()}}
    parameter_mistakes = {
        "decays the updated W instead of the old one: the decay is learning_rate * weight_decay * W with W the value "
        "before the step.": {n: w - learning_rate * weight_decay * w for n, w in adam_only.items()},
        "decays only the weights W. Leaving biases undecayed is common practice (BERT, nanoGPT, timm), "
        "but this exercise's convention is W and b alike (torch.optim.AdamW on all parameters): decay b as well.":
            decayed(adam_only, learning_rate * weight_decay, keys="W"),
        "has no weight decay: that is Adam; subtract learning_rate * weight_decay * W as well.": adam_only,
        "decays W by weight_decay * W without the learning rate: the decay is learning_rate * weight_decay * W.":
            decayed(adam_only, weight_decay),
        "adds the decay instead of subtracting it: W shrinks, W - learning_rate * weight_decay * W.":
            decayed(adam_only, -learning_rate * weight_decay),
        "has no bias correction in the Adam part: divide v by (1 - beta1**t) and s by (1 - beta2**t).":
            decayed({n: p - learning_rate * v_new["d" + n] / (np.sqrt(s_new["d" + n]) + epsilon)
                     for n, p in parameters.items()}, learning_rate * weight_decay),
        "has epsilon inside the square root: divide by sqrt(s_hat) + epsilon.":
            decayed({n: p - learning_rate * v_new["d" + n] / (1 - beta1**t) / np.sqrt(s_new["d" + n] / (1 - beta2**t) + epsilon)
                     for n, p in parameters.items()}, learning_rate * weight_decay),
        l2: {n: p - learning_rate * step_l2["d" + n] for n, p in parameters.items()},  # last: at t = 1 it can equal Adam
    }
    return {"parameters": parameter_mistakes, "v": v_mistakes, "s": s_mistakes}


def clip_mistakes(grads, max_norm):
    """`{"clipped": {...}, "total_norm": {...}}`: the clipped gradients and the norm the usual wrong answers return."""
    norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    own = {k: np.sqrt(np.sum(g**2)) for k, g in grads.items()}
    weights_only = np.sqrt(sum(np.sum(g**2) for k, g in grads.items() if "W" in k))
    scaled = lambda factor: {k: g * factor for k, g in grads.items()}  # noqa: E731
    clipped = {
        "clips each gradient by its own norm: the norm is one number over all the gradients together, and every "
        "gradient is multiplied by the same factor (so the direction of the whole update is kept).":
            {k: g * min(1.0, max_norm / (own[k] + 1e-6)) for k, g in grads.items()},
        "scales the gradients even though their norm is below max_norm: the factor is min(1, ...), so small "
        "gradients are left as they are.": scaled(max_norm / (norm + 1e-6)),
        "divides by the norm without the 1e-6 (as torch.nn.utils.clip_grad_norm_ adds): "
        "max_norm / (total_norm + 1e-6).": scaled(min(1.0, max_norm / norm)) if norm > 0 else grads,
        "uses the squared norm (the sum of squares) as the norm: take its square root.":
            scaled(min(1.0, max_norm / (norm**2 + 1e-6))),
        "uses max(1, ...) instead of min(1, ...): clipping only ever shrinks the gradients.":
            scaled(max(1.0, max_norm / (norm + 1e-6))),
        "clips each entry to [-max_norm, max_norm] (clipping by value, like np.clip): that is another method, "
        "and it turns the update; this function clips by the global norm, one factor for every gradient.":
            {k: np.clip(g, -max_norm, max_norm) for k, g in grads.items()},
        "adds up the norms of the separate gradients: the global norm is the square root of the sum of all the "
        "squared entries of all the gradients.": scaled(min(1.0, max_norm / (sum(own.values()) + 1e-6))),
        "leaves the biases out of the norm: the global norm takes every entry of every gradient, db included.":
            scaled(min(1.0, max_norm / (weights_only + 1e-6))),
    }
    norms = {"is the norm after clipping: return the norm of the gradients before clipping.":
                 min(norm, max_norm * norm / (norm + 1e-6)),
             "is the squared norm: take the square root of the sum of squares.": norm**2,
             "adds up the norms of the separate gradients: the global norm is the square root of the sum of all "
             "the squared entries of all the gradients.": sum(own.values()),
             "leaves the biases out: the global norm takes every entry of every gradient, db included.":
                 weights_only}
    return {"clipped": clipped, "total_norm": norms}


def _ns_variant(G, ns_steps=5, eps=1e-7, coefficients=NS_COEFFICIENTS, normalise=True, cubic=False,
                wrong_side=False, spectral=False, back=True, plus_eps=False, elementwise=False, every_step=False):
    """The Newton–Schulz iteration of the instructions, and (with the switches) the usual wrong answers."""
    a, b, c = coefficients
    tall = G.shape[0] > G.shape[1]
    X = G.T if tall else G
    norm = lambda X: np.linalg.norm(X, 2) if spectral else np.linalg.norm(X)  # noqa: E731
    if normalise:
        X = X / (norm(X) + eps) if plus_eps else X / max(norm(X), eps)
    with np.errstate(all="ignore"):
        for _ in range(ns_steps):
            if every_step:
                X = X / max(norm(X), eps)
            A = X.T @ X if wrong_side else X @ X.T
            if elementwise:
                X = a * X + b * X**3 + c * X**5
            else:
                X = 1.5 * X - 0.5 * A @ X if cubic else a * X + (b * A + c * A @ A) @ X
    return X.T if tall and back else X


def ns_mistakes(G, ns_steps):
    """`{what to fix: the wrong O}`: what the usual wrong Newton–Schulz iterations return for `G`."""
    mistakes = {
        "has no normalisation: divide X by its Frobenius norm first, so every singular value starts in [0, 1].":
            _ns_variant(G, ns_steps, normalise=False),
        "uses the coefficients in the wrong order: a = 3.4445 multiplies X, b = -4.7750 multiplies A X, "
        "c = 2.0315 multiplies A A X.": _ns_variant(G, ns_steps, coefficients=(2.0315, -4.7750, 3.4445)),
        "looks like the cubic Newton-Schulz step X = 1.5 X - 0.5 A X: Muon's step is the quintic "
        "a X + (b A + c A A) X.": _ns_variant(G, ns_steps, cubic=True),
        "divides by the largest singular value (np.linalg.norm(X, 2)): the instructions divide by the Frobenius "
        "norm, np.linalg.norm(X).": _ns_variant(G, ns_steps, spectral=True),
        "divides by norm + eps: the instructions divide by max(norm, eps), which is the norm itself unless G is "
        "(nearly) zero.": _ns_variant(G, ns_steps, plus_eps=True),
        "raises the entries of X to powers (X**3, X**5 are elementwise in NumPy): the step multiplies matrices, "
        "A = X @ X.T and A @ A @ X.": _ns_variant(G, ns_steps, elementwise=True),
        "normalises X again at every step: divide by the norm once, before the loop.":
            _ns_variant(G, ns_steps, every_step=True),
    }
    if G.shape[0] == G.shape[1]:  # otherwise that mistake crashes, and the call's hint names it
        mistakes["takes A = X^T X: with X on the right of (b A + c A A), A must be X X^T."] = \
            _ns_variant(G, ns_steps, wrong_side=True)
    for steps in {5, 1, ns_steps + 1, ns_steps - 1} - {ns_steps}:
        mistakes[f"looks like {steps} steps instead of ns_steps = {ns_steps}: loop ns_steps times."] = \
            _ns_variant(G, steps)
    return {text: value for text, value in mistakes.items() if np.isfinite(value).all() or text.startswith("has no")}


def muon_mistakes(parameters, grads, v, beta, learning_rate, weight_decay, ns_steps):
    """`{"parameters": {...}, "v": {...}}`: the parameters and momentum the usual wrong answers return."""
    def muon(direction, scale=lambda r, c: np.sqrt(max(1, r / c)), decay_after=False, gradient=None, keys="W",
             decay_factor=None, steps=ns_steps):
        new_p, new_v = dict(parameters), dict(v)
        for name, W in parameters.items():
            if name[0] not in keys:
                continue
            key = "d" + name
            g = grads[key] if gradient is None else gradient(name)
            new_v[key] = beta * v[key] + (1 - beta) * g
            step = learning_rate * scale(*W.shape) * _ns_variant(direction(g, new_v[key]), steps)
            decay = learning_rate * weight_decay if decay_factor is None else decay_factor
            new_p[name] = (W - step) * (1 - decay) if decay_after else W - decay * W - step
        return new_p, new_v

    nesterov = lambda g, new: (1 - beta) * g + beta * new  # noqa: E731
    coupled = muon(nesterov, gradient=lambda name: grads["d" + name] + weight_decay * parameters[name])
    parameters_mistakes = {
        "steps along the momentum v itself (heavy ball): Muon uses Nesterov, (1 - beta) dW + beta v with the new v.":
            muon(lambda g, new: new)[0],
        "orthogonalizes the raw gradient dW: orthogonalize the Nesterov momentum (1 - beta) dW + beta v.":
            muon(lambda g, new: g)[0],
        "has no shape factor: multiply the orthogonalized step by sqrt(max(1, rows / cols)).":
            muon(nesterov, scale=lambda r, c: 1.0)[0],
        "uses sqrt(rows / cols) without the max(1, ...): a wide matrix keeps the factor 1.":
            muon(nesterov, scale=lambda r, c: np.sqrt(r / c))[0],
        "uses sqrt(cols / rows): the factor is sqrt(max(1, rows / cols)), rows first.":
            muon(nesterov, scale=lambda r, c: np.sqrt(max(1, c / r)))[0],
        "uses max(1, rows / cols) without the square root: the shape factor is sqrt(max(1, rows / cols)).":
            muon(nesterov, scale=lambda r, c: max(1, r / c))[0],
        "updates the biases too: Muon is for the weight matrices only; return the b entries unchanged.":
            muon(nesterov, keys="Wb")[0],
        "adds the weight decay to the gradient (coupled, an L2 penalty): subtract learning_rate * weight_decay * W "
        "from W directly, apart from the momentum.": coupled[0],
        "decays the updated W instead of the old one: the decay is learning_rate * weight_decay * W with W the value "
        "before the step.": muon(nesterov, decay_after=True)[0],
        "decays W by weight_decay * W without the learning rate: the decay is learning_rate * weight_decay * W.":
            muon(nesterov, decay_factor=weight_decay)[0],
    }
    if ns_steps != 5:
        parameters_mistakes[f"looks orthogonalized with 5 Newton-Schulz steps, not ns_steps = {ns_steps}: pass "
                            "ns_steps on to newton_schulz_orthogonalize."] = muon(nesterov, steps=5)[0]
    v_mistakes = {
        "has the momentum of the biases updated: Muon leaves the b entries of v unchanged.": muon(nesterov, keys="Wb")[1],
        "adds the weight decay to the gradient (coupled, an L2 penalty): v is the average of dW alone.": coupled[1],
        "is not the EWA of the gradients: v = beta v + (1 - beta) dW.":
            {k: beta * x + grads[k] if k[1] == "W" else x for k, x in v.items()},
    }
    return {"parameters": parameters_mistakes, "v": v_mistakes}
