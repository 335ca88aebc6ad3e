#!/bin/sh
# Prints the Python interpreter Haven's venv is made with, or says what to install and exits 1.
#   scripts/find_python.sh            the first supported interpreter on the PATH
#   scripts/find_python.sh PYTHON     PYTHON itself, if it is a supported version (make's PYTHON=)
# Supported: 3.11 to 3.13, as pyproject's requires-python says. The search prefers python3.11,
# the version CI runs the whole suite on, then 3.12 and 3.13, then whatever python3 is.
set -u
MIN=11
MAX=13

# Exit 0 when "$1" runs and is a supported version.
supported() {
	"$1" -c "import sys; sys.exit(not (3, $MIN) <= sys.version_info[:2] <= (3, $MAX))" \
		>/dev/null 2>&1
}

# Exit 0 when "$1" can make a venv with pip: Debian and Ubuntu split ensurepip off into
# python3.X-venv, and `-m venv` then fails half-way.
has_venv() {
	"$1" -c "import ensurepip, venv" >/dev/null 2>&1
}

version_of() {
	"$1" -c "import sys; print('%d.%d' % sys.version_info[:2])" 2>/dev/null
}

no_venv() {
	version=$(version_of "$1")
	echo "error: $1 is Python $version but cannot make a venv (no ensurepip)." >&2
	echo "Install its venv module, e.g. on Debian or Ubuntu: apt-get install python$version-venv" >&2
	exit 1
}

if [ $# -gt 0 ] && [ -n "$1" ]; then
	if ! supported "$1"; then
		found=$(version_of "$1")
		if [ -n "$found" ]; then
			echo "error: PYTHON=$1 is Python $found, not 3.$MIN to 3.$MAX." >&2
		else
			echo "error: PYTHON=$1 does not run." >&2
		fi
		echo "Haven supports Python 3.$MIN, 3.12 and 3.$MAX; leave PYTHON unset to search the PATH." >&2
		exit 1
	fi
	has_venv "$1" || no_venv "$1"
	command -v "$1"
	exit 0
fi

lacking_venv=""
for candidate in python3.11 python3.12 python3.13 python3 python; do
	if ! command -v "$candidate" >/dev/null 2>&1 || ! supported "$candidate"; then
		continue
	fi
	if has_venv "$candidate"; then
		command -v "$candidate"
		exit 0
	fi
	lacking_venv=${lacking_venv:-$candidate}
done
[ -n "$lacking_venv" ] && no_venv "$lacking_venv"

cat >&2 <<'TEXT'
error: Haven needs Python 3.11, 3.12 or 3.13, and none is on the PATH
(looked for python3.11, python3.12, python3.13, python3 and python).
Install one, then run make again:
  Debian 13, Ubuntu 24.10 or later:  sudo apt-get install python3 python3-venv
  Ubuntu 24.04:                      sudo apt-get install python3.12 python3.12-venv
  Debian 12:                         sudo apt-get install python3.11 python3.11-venv
  Fedora:                            sudo dnf install python3.12
  macOS (Homebrew):                  brew install python@3.12
  any system with pyenv:             pyenv install 3.12
Or name one that is not on the PATH:  make run PYTHON=/path/to/python3.12
TEXT
exit 1
