# bash completion for deployc(1). Installed as share/bash-completion/completions/deployc.
_deployc() {
  local cur prev words cword
  if declare -F _init_completion >/dev/null 2>&1; then
    _init_completion || return
  else
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
  fi

  local commands="build check env-check vars dump explain help"
  local common="-D --stdlib --diagnostics-format --max-errors -Werror -Wno- --help"
  local command="" i
  for ((i = 1; i < cword; i++)); do
    case ${words[i]} in
      build|check|env-check|vars|dump|explain|help) command=${words[i]}; break ;;
      --check) command=check; break ;;
    esac
  done

  case $prev in
    -o|--output|--stdlib) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --depfile|--env-file) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --diagnostics-format) COMPREPLY=($(compgen -W "text json sarif" -- "$cur")); return ;;
    --format) COMPREPLY=($(compgen -W "table json markdown" -- "$cur")); return ;;
    --stage) COMPREPLY=($(compgen -W "ast model doc" -- "$cur")); return ;;
    --emit) COMPREPLY=($(compgen -W "compose env build docs compose,env compose,env,docs compose,env,build" -- "$cur")); return ;;
    --max-errors|-D) return ;;
  esac

  if [[ -z $command ]]; then
    COMPREPLY=($(compgen -W "$commands --check --version --help" -- "$cur"))
    return
  fi

  local options
  case $command in
    build) options="-o --output --emit --stdout --depfile $common" ;;
    check) options="-o --output --emit --require-outputs $common" ;;
    env-check) options="--env-file $common" ;;
    vars) options="--format $common" ;;
    dump) options="--stage $common" ;;
    explain) options="--help" ;;
    help) COMPREPLY=($(compgen -W "$commands" -- "$cur")); return ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
    [[ ${COMPREPLY[*]} == -Wno- ]] && compopt -o nospace 2>/dev/null
  elif [[ $command == explain ]]; then
    COMPREPLY=()  # a code such as D0501: docs/diagnostics.md lists them
  else
    # The spec: .deploy files and folders to walk into.
    COMPREPLY=($(compgen -f -X '!*.deploy' -- "$cur") $(compgen -d -- "$cur"))
  fi
}
complete -F _deployc deployc
