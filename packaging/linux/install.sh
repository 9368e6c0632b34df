#!/usr/bin/env bash
# Add TopicDesk to the desktop of the current user: menu entry, icons, and the
# .topicdesk file type, so double-clicking a project opens it in TopicDesk.
#
#   packaging/linux/install.sh              # topicdesk already on PATH (pip install)
#   packaging/linux/install.sh dist/topicdesk   # also install a built bundle
#
# Everything goes under ~/.local (or $XDG_DATA_HOME); nothing needs root.
# packaging/linux/install.sh --uninstall removes it again.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
icons="$repo/resources/icons"
data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
bin_dir="$HOME/.local/bin"
app_dir="$HOME/.local/lib/topicdesk"
sizes=(16 24 32 48 64 128 256 512)

refresh() {
    if command -v update-desktop-database >/dev/null; then
        update-desktop-database -q "$data_home/applications" || true
    fi
    if command -v update-mime-database >/dev/null; then
        update-mime-database "$data_home/mime" || true
    fi
    if command -v gtk-update-icon-cache >/dev/null; then
        gtk-update-icon-cache -q -t "$data_home/icons/hicolor" || true
    fi
}

if [[ "${1:-}" == "--uninstall" ]]; then
    rm -f "$data_home/applications/topicdesk.desktop"
    rm -f "$data_home/mime/packages/topicdesk-mime.xml"
    rm -f "$data_home/icons/hicolor/scalable/apps/topicdesk.svg"
    for size in "${sizes[@]}"; do
        rm -f "$data_home/icons/hicolor/${size}x${size}/apps/topicdesk.png"
    done
    if [[ -L "$bin_dir/topicdesk" && "$(readlink "$bin_dir/topicdesk")" == "$app_dir/topicdesk" ]]; then
        rm -f "$bin_dir/topicdesk"
        rm -rf "$app_dir"
    fi
    refresh
    echo "TopicDesk removed from the desktop."
    exit 0
fi

if [[ $# -ge 1 ]]; then
    bundle="$(cd "$1" && pwd)"
    if [[ ! -x "$bundle/topicdesk" ]]; then
        echo "error: $bundle/topicdesk is not an executable; build it first with packaging/build.sh." >&2
        exit 1
    fi
    rm -rf "$app_dir"
    mkdir -p "$(dirname "$app_dir")" "$bin_dir"
    cp -a "$bundle" "$app_dir"
    ln -sfn "$app_dir/topicdesk" "$bin_dir/topicdesk"
    echo "Installed the app in $app_dir and linked $bin_dir/topicdesk."
fi

if ! command -v topicdesk >/dev/null && [[ ! -x "$bin_dir/topicdesk" ]]; then
    echo "warning: no 'topicdesk' command on PATH; the menu entry will stay hidden until there is one." >&2
fi

install -Dm644 "$here/topicdesk.desktop" "$data_home/applications/topicdesk.desktop"
install -Dm644 "$here/topicdesk-mime.xml" "$data_home/mime/packages/topicdesk-mime.xml"
install -Dm644 "$icons/topicdesk.svg" "$data_home/icons/hicolor/scalable/apps/topicdesk.svg"
for size in "${sizes[@]}"; do
    install -Dm644 "$icons/topicdesk-$size.png" \
        "$data_home/icons/hicolor/${size}x${size}/apps/topicdesk.png"
done
refresh
echo "TopicDesk added to the desktop (menu entry, icons, .topicdesk file type)."
