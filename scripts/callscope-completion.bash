# bash completion for callscope. Installed as
# share/bash-completion/completions/callscope by `make install`.
#
# The commands and each command's options are read from the tool's own help,
# so the completion can never fall out of step with the options it takes.

_callscope()
{
    local cur prev words cword
    _init_completion 2>/dev/null || {
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD-1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    }
    local tool=${words[0]}

    if ((cword == 1)); then
        local commands
        commands=$("$tool" help 2>/dev/null | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p')
        COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        return
    fi

    local command=${words[1]}
    case $prev in
        --agent-channel) COMPREPLY=($(compgen -W "0 1" -- "$cur")); return ;;
        --agent) [[ $command == baseline ]] || { COMPREPLY=($(compgen -W "first second" -- "$cur")); return; } ;;
        --channels) COMPREPLY=($(compgen -W "1 2" -- "$cur")); return ;;
        --device) COMPREPLY=($(compgen -W "$("$tool" devices 2>/dev/null | sed -n 's/^ *\([0-9][0-9]*\).*/\1/p')" -- "$cur")); return ;;
        --set) COMPREPLY=($(compgen -W "$("$tool" profile 2>/dev/null | sed -n 's/^\([a-z][a-z0-9_.]*\) = .*/\1=/p')" -- "$cur")); compopt -o nospace 2>/dev/null; return ;;
        --out | --baselines) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    esac
    if [[ $cur == -* ]]; then
        local options
        options=$("$tool" "$command" --help 2>/dev/null | grep -o -- '--\?[a-zA-Z0-9][a-zA-Z0-9-]*' | grep '^-' | sort -u)
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
        return
    fi
    if [[ $command == baseline && $cword == 2 ]]; then
        COMPREPLY=($(compgen -W "build" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
}
complete -F _callscope -o filenames callscope
