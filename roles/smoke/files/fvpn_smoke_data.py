"""federated.vpn smoke test data: one synthetic classification problem, sliced.

    python fvpn_smoke_data.py --out FILE --part K --parts N

writes node K's slice (of N) as a headerless CSV: 20 features, then the label. Every node
slices the same problem (fixed seed); the researcher keeps the last HELD_OUT rows to
measure the aggregated models. Needs only numpy and scikit-learn.
"""
import argparse
import json
import os

FEATURES = 20
SAMPLES = 2000
HELD_OUT = 400
SEED = 123


def problem():
    from sklearn.datasets import make_classification
    return make_classification(n_samples=SAMPLES, n_features=FEATURES, n_informative=10, flip_y=0.01,
                               class_sep=1.0, random_state=SEED)


def held_out():
    x, y = problem()
    return x[SAMPLES - HELD_OUT:], y[SAMPLES - HELD_OUT:]


def training_rows(parts, part=None):
    """Node PART's rows (of PARTS), or the rows of every node: features, then the label."""
    import numpy as np
    x, y = problem()
    rows = (SAMPLES - HELD_OUT) // parts
    start, stop = (0, parts * rows) if part is None else (part * rows, (part + 1) * rows)
    return np.concatenate([x[start:stop], y[start:stop].reshape(-1, 1)], axis=1)


def main():
    import numpy as np
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', required=True)
    parser.add_argument('--part', type=int, required=True)
    parser.add_argument('--parts', type=int, required=True)
    args = parser.parse_args()
    block = training_rows(args.parts, args.part)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    np.savetxt(args.out, block, delimiter=',')
    print(json.dumps({'rows': len(block), 'path': args.out}))


if __name__ == '__main__':
    main()
