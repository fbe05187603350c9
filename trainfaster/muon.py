"""Chapter 3, beyond Adam: Muon, the momentum update orthogonalized by a Newton–Schulz iteration.

Explained in `book/03_momentum_rmsprop_adam.md`. Muon (Jordan et al. 2024) replaces each weight matrix's
momentum by the nearest semi-orthogonal matrix `U V^T` (approximately: the quintic iteration below pushes
in five steps every singular value above about 0.3% of the Frobenius norm into roughly [0.7, 1.2];
much smaller ones stay small), so every direction of the matrix moves by about
the same amount, whatever the rotation of the problem: what a per-coordinate method such as Adam cannot do.
It is `torch.optim.Muon(adjust_lr_fn="original")`, which runs the iteration in bfloat16; here it is float64.
"""

import numpy as np

NS_COEFFICIENTS = (3.4445, -4.7750, 2.0315)


def newton_schulz_orthogonalize(G, ns_steps=5, eps=1e-7):
    """Muon's quintic Newton–Schulz iteration: `X = G / max(||G||_F, eps)` (transposed when `G` has more
    rows than columns), then `ns_steps` times `A = X X^T`, `X = a X + (b A + c A A) X`; transposed back.

    `G` is a matrix, or a stack of matrices of shape `(..., rows, cols)` (one per network of a
    `trainfaster.sweep.train_many` stack), each orthogonalized on its own.
    """
    G = np.asarray(G, dtype=float)
    if G.ndim < 2:
        raise ValueError(f"G must be a matrix (or a stack of them), got shape {G.shape}")
    a, b, c = NS_COEFFICIENTS
    tall = G.shape[-2] > G.shape[-1]
    X = np.swapaxes(G, -1, -2) if tall else G
    X = X / np.maximum(np.linalg.norm(X, axis=(-2, -1), keepdims=True), eps)
    for _ in range(ns_steps):
        A = X @ np.swapaxes(X, -1, -2)
        X = a * X + (b * A + c * A @ A) @ X
    return np.swapaxes(X, -1, -2) if tall else X


def update_parameters_with_muon(parameters, grads, v, beta=0.95, learning_rate=0.02, weight_decay=0.0, ns_steps=5):
    """One Muon step on every weight matrix (the "W" keys); biases and their `v` are returned unchanged
    (in practice they go to AdamW). Returns `(parameters, v)`.

    `v = beta v + (1 - beta) dW`; `U = (1 - beta) dW + beta v` (Nesterov, with the new `v`);
    `O = newton_schulz_orthogonalize(U)`; `W = W - lr * weight_decay * W - lr * sqrt(max(1, rows / cols)) * O`.
    Works unchanged on `train_many`'s stacks (a leading axis of K networks; `learning_rate` may be `(K, 1, 1)`).
    """
    parameters, v = dict(parameters), dict(v)
    for name, W in list(parameters.items()):
        if not name.startswith("W"):
            continue
        key = "d" + name
        v[key] = beta * v[key] + (1 - beta) * grads[key]
        O = newton_schulz_orthogonalize((1 - beta) * grads[key] + beta * v[key], ns_steps)
        rows, cols = W.shape[-2:]
        parameters[name] = W - learning_rate * weight_decay * W - learning_rate * np.sqrt(max(1, rows / cols)) * O
    return parameters, v
