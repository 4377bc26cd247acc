#!/usr/bin/env bash
# Installs the components of the STRATA-1.0.0 release on this machine, where the `emr`
# provider's local clusters find them (docs/emr-provider.md, "Artifacts"):
#
#   - ZooKeeper 3.8.0 from Debian (`apt-get install zookeeper`): jars under /usr/share/java,
#     which every namespace host sees (hosts share /usr). Nothing is started: apt never starts
#     services here (policy-rc.d), and the provider runs ZooKeeper itself on each host.
#   - The PostgreSQL JDBC driver (the POSTGRESQL_JDBC component, Debian's
#     `libpostgresql-jdbc-java`, /usr/share/java/postgresql.jar, for the Hive metastore client of
#     clusters with an `emr_metastore`): its .deb is fetched with `apt-get download` from the
#     mirror apt is configured with into $STRATA_COMPONENT_CACHE/artifacts/postgresql_jdbc,
#     checked against the catalog's sha256, and installed from there with the catalog's install
#     command (`dpkg -i <artifact_dir>/*.deb`).
#   - Spark from PyPI's `pyspark` (a full SPARK_HOME: bin/spark-class, jars, Python examples),
#     installed with `pip install --target` into the component cache
#     $STRATA_COMPONENT_CACHE/pyspark-<version> (default /var/cache/strata/components). The
#     cache is outside the directories a host binds privately (/opt, /var/lib, /var/log, /root,
#     /tmp, /run, ...), so every host sees it at the same path, read-only by convention.
#
#   - Every downloaded artifact of the release (STRATA-1.0.1's, i.e. STRATA-1.0.0's `artifact` blocks of kind `deb` and
#     `pypi`: ZooKeeper's .deb list, pyspark's sdist, py4j's wheel, the JDBC driver's .deb),
#     kept as files in $STRATA_COMPONENT_CACHE/artifacts/<component, lower case>/<the file name
#     of the catalog's url>, each checked against the catalog's sha256 and size: what an
#     `artifact_mirror` serves to hosts that have nothing installed (`alicloud_emr_cluster`;
#     providers/alicloud/tests/emr_delivery.rs serves this directory). .debs come from
#     `apt-get download` (the mirror apt is configured with), PyPI files from `pip download`.
#
# Idempotent and quiet when everything is present: a cache entry is complete only when its
# marker `.strata-complete` exists (written last, after an atomic rename), so an interrupted
# run leaves nothing that looks installed. Run by the emr tests when something is missing,
# and by CI before them. Needs root (apt, the cache directory) and network access to the
# Debian mirror and PyPI on the first run.
#
# Usage: .ci/install-components.sh [--check]   (--check: exit 1 if anything is missing)
set -euo pipefail

# Pinned as the release catalog states them (crates/strata-release/catalog/STRATA-1.0.0.hcl);
# providers/emr's tests check these lines against the catalog.
SPARK_VERSION="4.3.0"
PYSPARK_SHA256="e8c517948eff7088a7aa07449aa8eafa4a15a8d50319de2525a6fd26622476c6"
PY4J_VERSION="0.10.9.9"
PY4J_SHA256="c7c26e4158defb37b0bb124933163641a2ff6e3a3913f7811b0ddbe07ed61533"
ZOOKEEPER_VERSION="3.8.0-11+deb12u2"
JDBC_PACKAGE="libpostgresql-jdbc-java"
JDBC_VERSION="42.5.5-0+deb12u1"
JDBC_SHA256="2092c08d8ff68fc59434fc32fa75714f38b74bfe4fd78f457765c73d47963832"
CACHE="${STRATA_COMPONENT_CACHE:-/var/cache/strata/components}"
SPARK_DIR="$CACHE/pyspark-$SPARK_VERSION"
JDBC_DIR="$CACHE/artifacts/postgresql_jdbc"
JDBC_DEB="$JDBC_DIR/${JDBC_PACKAGE}_${JDBC_VERSION}_all.deb"
PYTHON="${STRATA_PYTHON:-/usr/bin/python3}"

zookeeper_ok() {
    [[ -f /usr/share/java/zookeeper.jar ]] &&
        [[ "$(dpkg-query -W -f='${Version}' zookeeper 2>/dev/null)" == "$ZOOKEEPER_VERSION" ]] &&
        [[ -f /usr/share/java/slf4j-simple.jar ]]
}

jdbc_ok() {
    [[ -f /usr/share/java/postgresql.jar && -f "$JDBC_DEB" ]] &&
        [[ "$(dpkg-query -W -f='${Version}' "$JDBC_PACKAGE" 2>/dev/null)" == "$JDBC_VERSION" ]] &&
        [[ "$(sha256sum "$JDBC_DEB" | cut -d' ' -f1)" == "$JDBC_SHA256" ]]
}

# STRATA-1.0.1 is written as STRATA-1.0.0 plus a patch of spark-defaults.conf (`based_on`): its
# artifacts are 1.0.0's (the catalog test `strata_1_0_1_fixes_strata_1_0_0_only_in_spark_defaults`
# pins that), so the artifact blocks are read from the base's file.
CATALOG="$(dirname "$0")/../crates/strata-release/catalog/STRATA-1.0.0.hcl"

# The catalog's downloaded artifacts, one line each: component package version sha256 size file.
catalog_artifacts() {
    "$PYTHON" - "$CATALOG" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
for component in re.finditer(r'^component "([A-Z_]+)" \{(.*?)^\}', text, re.S | re.M):
    for block in re.finditer(r'artifact "[^"]+" \{(.*?)\}', component.group(2), re.S):
        fields = dict(re.findall(r'(\w+)\s*=\s*"?([^"\n]*)"?', block.group(1)))
        if fields.get("kind") in ("deb", "pypi") and fields.get("sha256"):
            print(component.group(1).lower(), fields["package"], fields["version"], fields["sha256"],
                  fields.get("size", "-"), fields["url"].rsplit("/", 1)[-1])
PY
}

artifact_ok() { # dir sha256 size file
    [[ -f "$1/$4" ]] && [[ "$(sha256sum "$1/$4" | cut -d' ' -f1)" == "$2" ]] &&
        { [[ "$3" == "-" ]] || [[ "$(stat -c %s "$1/$4")" == "$3" ]]; }
}

artifacts_ok() {
    local component package version sha256 size file
    while read -r component package version sha256 size file; do
        artifact_ok "$CACHE/artifacts/$component" "$sha256" "$size" "$file" || return 1
    done < <(catalog_artifacts)
}

spark_ok() {
    [[ -f "$SPARK_DIR/.strata-complete" && -x "$SPARK_DIR/pyspark/bin/spark-class" ]] &&
        grep -q "^$PYSPARK_SHA256 " "$SPARK_DIR/.strata-artifact.sha256" &&
        grep -q "^$PY4J_SHA256 " "$SPARK_DIR/.strata-artifact.sha256"
}

if [[ "${1:-}" == "--check" ]]; then
    missing=()
    zookeeper_ok || missing+=("zookeeper $ZOOKEEPER_VERSION (apt)")
    jdbc_ok || missing+=("$JDBC_PACKAGE $JDBC_VERSION (apt, $JDBC_DEB)")
    spark_ok || missing+=("pyspark $SPARK_VERSION in $SPARK_DIR")
    artifacts_ok || missing+=("artifact files in $CACHE/artifacts")
    if (( ${#missing[@]} > 0 )); then
        echo "install-components: missing ${missing[*]}" >&2
        exit 1
    fi
    exit 0
fi

if [[ "$(id -u)" != 0 ]]; then
    if zookeeper_ok && jdbc_ok && spark_ok && artifacts_ok; then exit 0; fi
    echo "install-components: components are missing; run as root" >&2
    exit 1
fi

if ! zookeeper_ok; then
    echo "install-components: installing zookeeper $ZOOKEEPER_VERSION and slf4j (apt)" >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-cache policy zookeeper 2>/dev/null | grep -qF "$ZOOKEEPER_VERSION"; then
        apt-get update -qq >/dev/null
    fi
    apt-get install -y -qq --no-install-recommends "zookeeper=$ZOOKEEPER_VERSION" libslf4j-java >/dev/null
    zookeeper_ok || { echo "install-components: zookeeper $ZOOKEEPER_VERSION did not install" >&2; exit 1; }
fi

if ! jdbc_ok; then
    echo "install-components: installing $JDBC_PACKAGE $JDBC_VERSION (apt-get download into $JDBC_DIR)" >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-cache policy "$JDBC_PACKAGE" 2>/dev/null | grep -qF "$JDBC_VERSION"; then
        apt-get update -qq >/dev/null
    fi
    mkdir -p "$JDBC_DIR"
    work="$(mktemp -d "$JDBC_DIR/.download.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
    # apt drops to the _apt user to download; that user may not write here, and apt then
    # downloads as root (it says so): nothing to worry about.
    (cd "$work" && apt-get download -qq "$JDBC_PACKAGE=$JDBC_VERSION" 2>&1 | grep -v "unsandboxed" >&2 || true)
    downloaded="$work/$(basename "$JDBC_DEB")"
    [[ -f "$downloaded" ]] || { echo "install-components: apt-get download gave no $(basename "$JDBC_DEB")" >&2; exit 1; }
    actual="$(sha256sum "$downloaded" | cut -d' ' -f1)"
    if [[ "$actual" != "$JDBC_SHA256" ]]; then
        echo "install-components: $downloaded has sha256 $actual, the release catalog says $JDBC_SHA256" >&2
        exit 1
    fi
    mv "$downloaded" "$JDBC_DEB"
    rm -rf "$work"
    trap - EXIT
    # The catalog's install command for POSTGRESQL_JDBC, with {artifact_dir} filled in.
    dpkg -i "$JDBC_DIR"/*.deb >/dev/null
    jdbc_ok || { echo "install-components: $JDBC_PACKAGE $JDBC_VERSION did not install" >&2; exit 1; }
fi

if ! spark_ok; then
    echo "install-components: installing pyspark $SPARK_VERSION into $SPARK_DIR (pip, ~450 MB)" >&2
    mkdir -p "$CACHE"
    work="$(mktemp -d "$CACHE/.pyspark-$SPARK_VERSION.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
    # The downloads are checked against the catalog's sha256 before anything is installed.
    "$PYTHON" -m pip download --quiet --disable-pip-version-check --no-deps \
        --dest "$work/downloads" "pyspark==$SPARK_VERSION" "py4j==$PY4J_VERSION"
    (
        cd "$work/downloads"
        for pinned in "$PYSPARK_SHA256 pyspark-$SPARK_VERSION" "$PY4J_SHA256 py4j-$PY4J_VERSION"; do
            set -- $pinned
            file="$(ls "$2"[.-]* 2>/dev/null | head -n 1)"
            actual="$(sha256sum "$file" | cut -d' ' -f1)"
            if [[ "$actual" != "$1" ]]; then
                echo "install-components: $file has sha256 $actual, the release catalog says $1" >&2
                exit 1
            fi
        done
        sha256sum -- * >"../sha256"
    )
    "$PYTHON" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-index --no-deps \
        --no-compile --target "$work/install" "$work"/downloads/*
    [[ -x "$work/install/pyspark/bin/spark-class" ]] || {
        echo "install-components: the pyspark package has no bin/spark-class" >&2
        exit 1
    }
    cp "$work/sha256" "$work/install/.strata-artifact.sha256"
    chmod -R a+rX,go-w "$work/install"
    rm -rf "$SPARK_DIR"
    mv "$work/install" "$SPARK_DIR"
    touch "$SPARK_DIR/.strata-complete"
    rm -rf "$work"
    trap - EXIT
    echo "install-components: pyspark $SPARK_VERSION ready in $SPARK_DIR" >&2
fi

if ! artifacts_ok; then
    echo "install-components: keeping the release's artifact files in $CACHE/artifacts" >&2
    export DEBIAN_FRONTEND=noninteractive
    updated=""
    while read -r component package version sha256 size file; do
        dir="$CACHE/artifacts/$component"
        artifact_ok "$dir" "$sha256" "$size" "$file" && continue
        mkdir -p "$dir"
        work="$(mktemp -d "$dir/.download.XXXXXX")"
        if [[ "$file" == *.deb ]]; then
            if [[ -z "$updated" ]] && ! apt-cache policy "$package" 2>/dev/null | grep -qF " $version "; then
                apt-get update -qq >/dev/null
                updated=1
            fi
            (cd "$work" && apt-get download -qq "$package=$version" 2>&1 | grep -v "unsandboxed" >&2 || true)
        else
            "$PYTHON" -m pip download --quiet --disable-pip-version-check --no-deps \
                --dest "$work" "$package==$version" >&2
        fi
        # apt-get download names a file after the version with its epoch (2%3a1.17-74); the
        # cache keeps the catalog url's name.
        downloaded="$(ls "$work" | head -n 1)"
        [[ -n "$downloaded" ]] || { echo "install-components: no download for $package $version" >&2; rm -rf "$work"; exit 1; }
        actual="$(sha256sum "$work/$downloaded" | cut -d' ' -f1)"
        if [[ "$actual" != "$sha256" ]]; then
            echo "install-components: $package $version ($downloaded) has sha256 $actual, the release catalog says $sha256" >&2
            rm -rf "$work"
            exit 1
        fi
        mv "$work/$downloaded" "$dir/$file"
        rm -rf "$work"
    done < <(catalog_artifacts)
    artifacts_ok || { echo "install-components: artifact files are still missing or differ" >&2; exit 1; }
fi
