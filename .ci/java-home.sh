# shellcheck shell=bash
# Sourced by .ci/run and ./run-local: points JAVA_HOME and PATH at a JDK 21 or newer.
# Looks at $JAVA_HOME, then the java on PATH, then every JDK under /usr/lib/jvm (the newest wins),
# then macOS's java_home.

switchboard_java_major() {
    local version
    version=$("$1" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1) || true
    case "$version" in
        1.*) version=${version#1.} ;;
    esac
    echo "${version%%[.+-]*}"
}

# Prints the major version of the JDK at $1 if it has java and javac and is 21 or newer.
switchboard_usable_jdk() {
    local major
    [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
    major=$(switchboard_java_major "$1/bin/java")
    [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null || return 1
    echo "$major"
}

switchboard_find_jdk() {
    local candidate major best="" best_major=0
    if [ -n "${JAVA_HOME:-}" ] && switchboard_usable_jdk "$JAVA_HOME" >/dev/null; then
        echo "$JAVA_HOME"
        return 0
    fi
    if command -v java >/dev/null 2>&1; then
        candidate=$(dirname "$(dirname "$(readlink -f "$(command -v java)" 2>/dev/null || command -v java)")")
        if switchboard_usable_jdk "$candidate" >/dev/null; then
            echo "$candidate"
            return 0
        fi
    fi
    for candidate in /usr/lib/jvm/*; do
        [ -d "$candidate" ] || continue
        if major=$(switchboard_usable_jdk "$candidate") && [ "$major" -gt "$best_major" ]; then
            best=$candidate
            best_major=$major
        fi
    done
    if [ -n "$best" ]; then
        echo "$best"
        return 0
    fi
    if [ -x /usr/libexec/java_home ] && candidate=$(/usr/libexec/java_home -v 21+ 2>/dev/null); then
        echo "$candidate"
        return 0
    fi
    return 1
}

if switchboard_jdk=$(switchboard_find_jdk); then
    export JAVA_HOME="$switchboard_jdk"
    export PATH="$JAVA_HOME/bin:$PATH"
    unset switchboard_jdk
    unset -f switchboard_java_major switchboard_usable_jdk switchboard_find_jdk
else
    unset switchboard_jdk
    unset -f switchboard_java_major switchboard_usable_jdk switchboard_find_jdk
    echo "error: Switchboard needs a JDK 21 or newer (java and javac); none in JAVA_HOME (${JAVA_HOME:-unset})," \
        "on PATH or under /usr/lib/jvm. Install one, e.g. Eclipse Temurin 21 or 25, and set JAVA_HOME to it." >&2
    # shellcheck disable=SC2317 # reached when the file is run instead of sourced
    return 1 2>/dev/null || exit 1
fi
