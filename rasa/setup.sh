#!/usr/bin/env bash
# Build a separate Python 3.10 environment for Rasa 3.6, train an NLU model from the same
# nlu/data/nlu.yml that trains our own classifier, and serve it on loopback.
#
# Why a separate environment: rasa 3.6 needs Python < 3.11 and pins old libraries
# (tensorflow 2.12, numpy < 1.24, ...), so it cannot share coachloop's venv.
#
# Usage:  bash rasa/setup.sh [install|train|run|all]     (default: all = install, train, run)
# Env:    RASA_PYTHON (default /root/.pyenv/versions/3.10.13/bin/python, else python3.10 on PATH)
#         RASA_VENV   (default rasa/.venv)   RASA_PORT (default 5005)
#         RASA_VERSION (default 3.6.20)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STEP="${1:-all}"
RASA_VENV="${RASA_VENV:-$ROOT/rasa/.venv}"
RASA_PORT="${RASA_PORT:-5005}"
RASA_VERSION="${RASA_VERSION:-3.6.20}"
MODEL_DIR="$ROOT/rasa/models"

find_python() {
    if [ -n "${RASA_PYTHON:-}" ]; then
        echo "$RASA_PYTHON"
    elif [ -x /root/.pyenv/versions/3.10.13/bin/python ]; then
        echo /root/.pyenv/versions/3.10.13/bin/python
    elif command -v python3.10 >/dev/null 2>&1; then
        command -v python3.10
    else
        echo ""
    fi
}

install() {
    if [ -x "$RASA_VENV/bin/rasa" ]; then
        echo "rasa: environment already present at $RASA_VENV"
        return 0
    fi
    local py
    py="$(find_python)"
    if [ -z "$py" ] || [ ! -x "$py" ]; then
        echo "rasa: Python 3.10 not found." >&2
        echo "rasa: rasa 3.6 needs Python < 3.11. Install one (e.g. 'pyenv install 3.10.13')" >&2
        echo "rasa: or point RASA_PYTHON at a python3.10 binary, then run 'make rasa' again." >&2
        exit 2
    fi
    local ver
    ver="$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    case "$ver" in
        3.8|3.9|3.10) ;;
        *) echo "rasa: $py is Python $ver; rasa 3.6 needs 3.8-3.10 (set RASA_PYTHON)." >&2; exit 2 ;;
    esac
    echo "rasa: building $RASA_VENV with $py (Python $ver)"
    "$py" -m venv "$RASA_VENV"
    "$RASA_VENV/bin/python" -m pip install --quiet --upgrade "pip<24.1" "setuptools<70" wheel
    "$RASA_VENV/bin/python" -m pip install "rasa==$RASA_VERSION"
    "$RASA_VENV/bin/rasa" --version
}

train() {
    mkdir -p "$MODEL_DIR"
    echo "rasa: training NLU model from nlu/data/nlu.yml"
    (cd "$ROOT/rasa" && "$RASA_VENV/bin/rasa" train nlu \
        --config "$ROOT/rasa/config.yml" \
        --nlu "$ROOT/nlu/data/nlu.yml" \
        --out "$MODEL_DIR" \
        --fixed-model-name coachloop-nlu)
}

run() {
    echo "rasa: serving on http://127.0.0.1:$RASA_PORT (POST /model/parse); set"
    echo "rasa:   NLU_BACKEND=rasa RASA_URL=http://127.0.0.1:$RASA_PORT"
    cd "$ROOT/rasa"
    exec "$RASA_VENV/bin/rasa" run --enable-api -i 127.0.0.1 -p "$RASA_PORT" \
        -m "$MODEL_DIR/coachloop-nlu.tar.gz"
}

case "$STEP" in
    install) install ;;
    train) install; train ;;
    run) run ;;
    all) install; train; run ;;
    *) echo "usage: bash rasa/setup.sh [install|train|run|all]" >&2; exit 64 ;;
esac
