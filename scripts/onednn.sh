# Chooses where oneDNN comes from and sets what the build needs for it. Sourced by scripts/setup.sh
# (and so by demo.sh and test.sh); not run on its own.
#
#   ALBUMGENRE_ONEDNN=auto (default) | apt | pypi
#     apt   the distribution's libdnnl-dev: oneDNN 2.6 on Debian 12, 3.x on Debian 13 and Ubuntu 24.04
#     pypi  the PyPI wheels onednn-cpu-gomp + onednn-devel-cpu-gomp 2023.2.0 (oneDNN 3.2, GNU OpenMP),
#           downloaded by pip with pinned SHA-256 hashes and unpacked into $ALBUMGENRE_ONEDNN_PREFIX
#     auto  apt where the distribution has libdnnl-dev 2.x or 3.x, pypi otherwise
#   ALBUMGENRE_ONEDNN_PREFIX (default ~/.cache/albumgenre/onednn-3.2.0)
#
# Afterwards: ONEDNN_SOURCE (apt or pypi), ONEDNN_DESCRIPTION (what was used, for the logs),
# ONEDNN_APT_PACKAGES (the Debian package to install, empty for pypi) and the array
# ONEDNN_SWIFT_FLAGS to pass to every `swift build` / `swift test` (header and library paths and an
# rpath for the wheel; empty for apt). With pypi it exports ALBUMGENRE_ONEDNN=pypi, which Package.swift
# reads to link the wheel's library: keep it set for every later build of that checkout.

ONEDNN_PYPI_VERSION=2023.2.0
# SHA-256 of the two manylinux1 x86_64 wheels of that version (pip --require-hashes refuses anything else).
ONEDNN_PYPI_HASHES=(
    "onednn-cpu-gomp==$ONEDNN_PYPI_VERSION --hash=sha256:2f22a54d6a890ed14bfa185d42a4be65d8b5b1df85dc1f0f3a9abe31620416fb"
    "onednn-devel-cpu-gomp==$ONEDNN_PYPI_VERSION --hash=sha256:9763c69e8c907e119056bd52ad918ca84ac9ba939d130a99dfa95ccca3e5e284"
)

onednn_apt_candidate() {
    # The version apt would install (e.g. 2.6.3-1), empty when the distribution has no libdnnl-dev.
    apt-cache policy libdnnl-dev 2>/dev/null | awk '/Candidate:/ { print $2 }' | grep -v '(none)' || true
}

onednn_choose() {
    ONEDNN_SOURCE="${ALBUMGENRE_ONEDNN:-auto}"
    ONEDNN_SWIFT_FLAGS=()
    ONEDNN_APT_PACKAGES=""
    case "$ONEDNN_SOURCE" in
        auto)
            local candidate
            candidate="$(onednn_apt_candidate)"
            if [ -z "$candidate" ] && command -v apt-get >/dev/null && [ "$(id -u)" -eq 0 ]; then
                apt-get update -qq >/dev/null 2>&1 || true
                candidate="$(onednn_apt_candidate)"
            fi
            case "$candidate" in
                2.*|3.*) ONEDNN_SOURCE=apt ;;
                *) ONEDNN_SOURCE=pypi ;;
            esac
            ;;
        apt|pypi) ;;
        *) echo "setup: ALBUMGENRE_ONEDNN must be auto, apt or pypi, not '$ONEDNN_SOURCE'" >&2; return 1 ;;
    esac
    if [ "$ONEDNN_SOURCE" = apt ]; then
        ONEDNN_APT_PACKAGES="libdnnl-dev"
    fi
}

# Installs the wheels into the cache (once) and sets ONEDNN_SWIFT_FLAGS. Needs python3 with pip.
onednn_install_pypi() {
    local prefix="${ALBUMGENRE_ONEDNN_PREFIX:-$HOME/.cache/albumgenre/onednn-3.2.0}"
    if [ ! -f "$prefix/include/oneapi/dnnl/dnnl.h" ] || [ ! -e "$prefix/lib/libdnnl.so.3" ]; then
        echo "setup: downloading oneDNN 3.2 (PyPI onednn-cpu-gomp + onednn-devel-cpu-gomp $ONEDNN_PYPI_VERSION, 39 MB)"
        local work requirements
        work="$(mktemp -d)"
        requirements="$work/requirements.txt"
        printf '%s\n' "${ONEDNN_PYPI_HASHES[@]}" > "$requirements"
        python3 -m pip download --quiet --no-deps --only-binary=:all: --require-hashes -r "$requirements" -d "$work/wheels"
        mkdir -p "$work/unpacked"
        for wheel in "$work"/wheels/*.whl; do python3 -m zipfile -e "$wheel" "$work/unpacked"; done
        # Both wheels put their files under <name>.data/data/{include,lib}: merge them into one prefix.
        rm -rf "$prefix.partial" && mkdir -p "$prefix.partial/include" "$prefix.partial/lib"
        for data in "$work"/unpacked/*.data/data; do
            [ -d "$data/include" ] && cp -a "$data/include/." "$prefix.partial/include/"
            [ -d "$data/lib" ] && cp -a "$data/lib/." "$prefix.partial/lib/"
        done
        # The wheel holds three identical copies of the library (no symlinks in a zip): keep one.
        for name in libdnnl.so libdnnl.so.3.2; do
            if cmp -s "$prefix.partial/lib/$name" "$prefix.partial/lib/libdnnl.so.3"; then ln -sf libdnnl.so.3 "$prefix.partial/lib/$name"; fi
        done
        [ -f "$prefix.partial/include/oneapi/dnnl/dnnl.h" ] || { echo "setup: the oneDNN wheels had no dnnl.h" >&2; return 1; }
        rm -rf "$prefix" && mv "$prefix.partial" "$prefix"
        rm -rf "$work"
    fi
    # Linked as -lalbumgenre_dnnl (Sources/CDNNLWheel), so that no distribution's libdnnl.so on an earlier
    # -L folder can be picked instead; Package.swift selects that module map from ALBUMGENRE_ONEDNN.
    ln -sf libdnnl.so.3 "$prefix/lib/libalbumgenre_dnnl.so"
    export ALBUMGENRE_ONEDNN=pypi
    ONEDNN_SWIFT_FLAGS=(-Xcc "-I$prefix/include" -Xlinker "-L$prefix/lib" -Xlinker -rpath -Xlinker "$prefix/lib")
    ONEDNN_DESCRIPTION="oneDNN 3.2 from PyPI (onednn-cpu-gomp $ONEDNN_PYPI_VERSION) in $prefix"
}

# Describes the apt oneDNN once it is installed.
onednn_describe_apt() {
    ONEDNN_DESCRIPTION="oneDNN $(dpkg-query -W -f='${Version}' libdnnl-dev 2>/dev/null || echo '?') from the distribution (libdnnl-dev)"
}
