_hokusai__queue() {
    local i cur prev opts cmd
    COMPREPLY=()
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        cur="$2"
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
    fi
    prev="$3"
    cmd=""
    opts=""

    for i in "${COMP_WORDS[@]:0:COMP_CWORD}"
    do
        case "${cmd},${i}" in
            ",$1")
                cmd="hokusai__queue"
                ;;
            hokusai__queue,config)
                cmd="hokusai__queue__subcmd__config"
                ;;
            hokusai__queue,depth)
                cmd="hokusai__queue__subcmd__depth"
                ;;
            hokusai__queue,dlq)
                cmd="hokusai__queue__subcmd__dlq"
                ;;
            hokusai__queue,doctor)
                cmd="hokusai__queue__subcmd__doctor"
                ;;
            hokusai__queue,drain)
                cmd="hokusai__queue__subcmd__drain"
                ;;
            hokusai__queue,emit)
                cmd="hokusai__queue__subcmd__emit"
                ;;
            hokusai__queue,exporter)
                cmd="hokusai__queue__subcmd__exporter"
                ;;
            hokusai__queue,help)
                cmd="hokusai__queue__subcmd__help"
                ;;
            hokusai__queue,message)
                cmd="hokusai__queue__subcmd__message"
                ;;
            hokusai__queue,migrate)
                cmd="hokusai__queue__subcmd__migrate"
                ;;
            hokusai__queue,msg)
                cmd="hokusai__queue__subcmd__message"
                ;;
            hokusai__queue,peek)
                cmd="hokusai__queue__subcmd__peek"
                ;;
            hokusai__queue,reap-stale)
                cmd="hokusai__queue__subcmd__reap__subcmd__stale"
                ;;
            hokusai__queue,top)
                cmd="hokusai__queue__subcmd__top"
                ;;
            hokusai__queue__subcmd__config,help)
                cmd="hokusai__queue__subcmd__config__subcmd__help"
                ;;
            hokusai__queue__subcmd__config,list)
                cmd="hokusai__queue__subcmd__config__subcmd__list"
                ;;
            hokusai__queue__subcmd__config,set)
                cmd="hokusai__queue__subcmd__config__subcmd__set"
                ;;
            hokusai__queue__subcmd__config,show)
                cmd="hokusai__queue__subcmd__config__subcmd__show"
                ;;
            hokusai__queue__subcmd__config,use)
                cmd="hokusai__queue__subcmd__config__subcmd__use"
                ;;
            hokusai__queue__subcmd__config__subcmd__help,help)
                cmd="hokusai__queue__subcmd__config__subcmd__help__subcmd__help"
                ;;
            hokusai__queue__subcmd__config__subcmd__help,list)
                cmd="hokusai__queue__subcmd__config__subcmd__help__subcmd__list"
                ;;
            hokusai__queue__subcmd__config__subcmd__help,set)
                cmd="hokusai__queue__subcmd__config__subcmd__help__subcmd__set"
                ;;
            hokusai__queue__subcmd__config__subcmd__help,show)
                cmd="hokusai__queue__subcmd__config__subcmd__help__subcmd__show"
                ;;
            hokusai__queue__subcmd__config__subcmd__help,use)
                cmd="hokusai__queue__subcmd__config__subcmd__help__subcmd__use"
                ;;
            hokusai__queue__subcmd__dlq,discard)
                cmd="hokusai__queue__subcmd__dlq__subcmd__discard"
                ;;
            hokusai__queue__subcmd__dlq,help)
                cmd="hokusai__queue__subcmd__dlq__subcmd__help"
                ;;
            hokusai__queue__subcmd__dlq,import)
                cmd="hokusai__queue__subcmd__dlq__subcmd__import"
                ;;
            hokusai__queue__subcmd__dlq,inspect)
                cmd="hokusai__queue__subcmd__dlq__subcmd__inspect"
                ;;
            hokusai__queue__subcmd__dlq,list)
                cmd="hokusai__queue__subcmd__dlq__subcmd__list"
                ;;
            hokusai__queue__subcmd__dlq,purge)
                cmd="hokusai__queue__subcmd__dlq__subcmd__purge"
                ;;
            hokusai__queue__subcmd__dlq,replay)
                cmd="hokusai__queue__subcmd__dlq__subcmd__replay"
                ;;
            hokusai__queue__subcmd__dlq__subcmd__help,discard)
                cmd="hokusai__queue__subcmd__dlq__subcmd__help__subcmd__discard"
                ;;
            hokusai__queue__subcmd__dlq__subcmd__help,help)
                cmd="hokusai__queue__subcmd__dlq__subcmd__help__subcmd__help"
                ;;
            hokusai__queue__subcmd__dlq__subcmd__help,import)
                cmd="hokusai__queue__subcmd__dlq__subcmd__help__subcmd__import"
                ;;
            hokusai__queue__subcmd__dlq__subcmd__help,inspect)
                cmd="hokusai__queue__subcmd__dlq__subcmd__help__subcmd__inspect"
                ;;
            hokusai__queue__subcmd__dlq__subcmd__help,list)
                cmd="hokusai__queue__subcmd__dlq__subcmd__help__subcmd__list"
                ;;
            hokusai__queue__subcmd__dlq__subcmd__help,purge)
                cmd="hokusai__queue__subcmd__dlq__subcmd__help__subcmd__purge"
                ;;
            hokusai__queue__subcmd__dlq__subcmd__help,replay)
                cmd="hokusai__queue__subcmd__dlq__subcmd__help__subcmd__replay"
                ;;
            hokusai__queue__subcmd__help,config)
                cmd="hokusai__queue__subcmd__help__subcmd__config"
                ;;
            hokusai__queue__subcmd__help,depth)
                cmd="hokusai__queue__subcmd__help__subcmd__depth"
                ;;
            hokusai__queue__subcmd__help,dlq)
                cmd="hokusai__queue__subcmd__help__subcmd__dlq"
                ;;
            hokusai__queue__subcmd__help,doctor)
                cmd="hokusai__queue__subcmd__help__subcmd__doctor"
                ;;
            hokusai__queue__subcmd__help,drain)
                cmd="hokusai__queue__subcmd__help__subcmd__drain"
                ;;
            hokusai__queue__subcmd__help,emit)
                cmd="hokusai__queue__subcmd__help__subcmd__emit"
                ;;
            hokusai__queue__subcmd__help,exporter)
                cmd="hokusai__queue__subcmd__help__subcmd__exporter"
                ;;
            hokusai__queue__subcmd__help,help)
                cmd="hokusai__queue__subcmd__help__subcmd__help"
                ;;
            hokusai__queue__subcmd__help,message)
                cmd="hokusai__queue__subcmd__help__subcmd__message"
                ;;
            hokusai__queue__subcmd__help,migrate)
                cmd="hokusai__queue__subcmd__help__subcmd__migrate"
                ;;
            hokusai__queue__subcmd__help,peek)
                cmd="hokusai__queue__subcmd__help__subcmd__peek"
                ;;
            hokusai__queue__subcmd__help,reap-stale)
                cmd="hokusai__queue__subcmd__help__subcmd__reap__subcmd__stale"
                ;;
            hokusai__queue__subcmd__help,top)
                cmd="hokusai__queue__subcmd__help__subcmd__top"
                ;;
            hokusai__queue__subcmd__help__subcmd__config,list)
                cmd="hokusai__queue__subcmd__help__subcmd__config__subcmd__list"
                ;;
            hokusai__queue__subcmd__help__subcmd__config,set)
                cmd="hokusai__queue__subcmd__help__subcmd__config__subcmd__set"
                ;;
            hokusai__queue__subcmd__help__subcmd__config,show)
                cmd="hokusai__queue__subcmd__help__subcmd__config__subcmd__show"
                ;;
            hokusai__queue__subcmd__help__subcmd__config,use)
                cmd="hokusai__queue__subcmd__help__subcmd__config__subcmd__use"
                ;;
            hokusai__queue__subcmd__help__subcmd__dlq,discard)
                cmd="hokusai__queue__subcmd__help__subcmd__dlq__subcmd__discard"
                ;;
            hokusai__queue__subcmd__help__subcmd__dlq,import)
                cmd="hokusai__queue__subcmd__help__subcmd__dlq__subcmd__import"
                ;;
            hokusai__queue__subcmd__help__subcmd__dlq,inspect)
                cmd="hokusai__queue__subcmd__help__subcmd__dlq__subcmd__inspect"
                ;;
            hokusai__queue__subcmd__help__subcmd__dlq,list)
                cmd="hokusai__queue__subcmd__help__subcmd__dlq__subcmd__list"
                ;;
            hokusai__queue__subcmd__help__subcmd__dlq,purge)
                cmd="hokusai__queue__subcmd__help__subcmd__dlq__subcmd__purge"
                ;;
            hokusai__queue__subcmd__help__subcmd__dlq,replay)
                cmd="hokusai__queue__subcmd__help__subcmd__dlq__subcmd__replay"
                ;;
            hokusai__queue__subcmd__help__subcmd__message,dead-letter)
                cmd="hokusai__queue__subcmd__help__subcmd__message__subcmd__dead__subcmd__letter"
                ;;
            hokusai__queue__subcmd__help__subcmd__message,delete)
                cmd="hokusai__queue__subcmd__help__subcmd__message__subcmd__delete"
                ;;
            hokusai__queue__subcmd__help__subcmd__message,inspect)
                cmd="hokusai__queue__subcmd__help__subcmd__message__subcmd__inspect"
                ;;
            hokusai__queue__subcmd__help__subcmd__message,requeue)
                cmd="hokusai__queue__subcmd__help__subcmd__message__subcmd__requeue"
                ;;
            hokusai__queue__subcmd__message,dead-letter)
                cmd="hokusai__queue__subcmd__message__subcmd__dead__subcmd__letter"
                ;;
            hokusai__queue__subcmd__message,delete)
                cmd="hokusai__queue__subcmd__message__subcmd__delete"
                ;;
            hokusai__queue__subcmd__message,help)
                cmd="hokusai__queue__subcmd__message__subcmd__help"
                ;;
            hokusai__queue__subcmd__message,inspect)
                cmd="hokusai__queue__subcmd__message__subcmd__inspect"
                ;;
            hokusai__queue__subcmd__message,requeue)
                cmd="hokusai__queue__subcmd__message__subcmd__requeue"
                ;;
            hokusai__queue__subcmd__message__subcmd__help,dead-letter)
                cmd="hokusai__queue__subcmd__message__subcmd__help__subcmd__dead__subcmd__letter"
                ;;
            hokusai__queue__subcmd__message__subcmd__help,delete)
                cmd="hokusai__queue__subcmd__message__subcmd__help__subcmd__delete"
                ;;
            hokusai__queue__subcmd__message__subcmd__help,help)
                cmd="hokusai__queue__subcmd__message__subcmd__help__subcmd__help"
                ;;
            hokusai__queue__subcmd__message__subcmd__help,inspect)
                cmd="hokusai__queue__subcmd__message__subcmd__help__subcmd__inspect"
                ;;
            hokusai__queue__subcmd__message__subcmd__help,requeue)
                cmd="hokusai__queue__subcmd__message__subcmd__help__subcmd__requeue"
                ;;
            *)
                ;;
        esac
    done

    case "${cmd}" in
        hokusai__queue)
            opts="-q -o -h -V --context --redis-url --cluster --password-file --user --tls-ca-cert --tls-insecure --connect-timeout --command-timeout --connect-retries --connect-backoff-base --connect-backoff-cap --queue --profile --processing-key --dlq-key --pubsub-channel --leases-key --retry-key --replays-key --processed-key --audit-key --settlements-key --record-prefix --sqs-queue-url --endpoint-url --output --no-headers --help --version emit peek depth exporter drain reap-stale dlq message msg doctor config top migrate help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 1 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --redis-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "envelope mint opaque" -- "${cur}"))
                    return 0
                    ;;
                --processing-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pubsub-channel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leases-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replays-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --processed-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --audit-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --settlements-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sqs-queue-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__config)
            opts="-q -o -h --context --redis-url --cluster --password-file --user --tls-ca-cert --tls-insecure --connect-timeout --command-timeout --connect-retries --connect-backoff-base --connect-backoff-cap --queue --profile --processing-key --dlq-key --pubsub-channel --leases-key --retry-key --replays-key --processed-key --audit-key --settlements-key --record-prefix --sqs-queue-url --endpoint-url --output --no-headers --help list show use set help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --redis-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "envelope mint opaque" -- "${cur}"))
                    return 0
                    ;;
                --processing-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pubsub-channel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leases-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replays-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --processed-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --audit-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --settlements-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sqs-queue-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__config__subcmd__help)
            opts="list show use set help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__config__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__config__subcmd__help__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__config__subcmd__help__subcmd__set)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__config__subcmd__help__subcmd__show)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__config__subcmd__help__subcmd__use)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__config__subcmd__list)
            opts="-q -o -h --context --redis-url --cluster --password-file --user --tls-ca-cert --tls-insecure --connect-timeout --command-timeout --connect-retries --connect-backoff-base --connect-backoff-cap --queue --profile --processing-key --dlq-key --pubsub-channel --leases-key --retry-key --replays-key --processed-key --audit-key --settlements-key --record-prefix --sqs-queue-url --endpoint-url --output --no-headers --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --redis-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "envelope mint opaque" -- "${cur}"))
                    return 0
                    ;;
                --processing-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pubsub-channel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leases-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replays-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --processed-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --audit-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --settlements-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sqs-queue-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__config__subcmd__set)
            opts="-q -o -h --context --redis-url --cluster --password-file --user --tls-ca-cert --tls-insecure --connect-timeout --command-timeout --connect-retries --connect-backoff-base --connect-backoff-cap --queue --profile --processing-key --dlq-key --pubsub-channel --leases-key --retry-key --replays-key --processed-key --audit-key --settlements-key --record-prefix --sqs-queue-url --endpoint-url --output --no-headers --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --redis-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "envelope mint opaque" -- "${cur}"))
                    return 0
                    ;;
                --processing-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pubsub-channel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leases-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replays-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --processed-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --audit-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --settlements-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sqs-queue-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__config__subcmd__show)
            opts="-q -o -h --context --redis-url --cluster --password-file --user --tls-ca-cert --tls-insecure --connect-timeout --command-timeout --connect-retries --connect-backoff-base --connect-backoff-cap --queue --profile --processing-key --dlq-key --pubsub-channel --leases-key --retry-key --replays-key --processed-key --audit-key --settlements-key --record-prefix --sqs-queue-url --endpoint-url --output --no-headers --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --redis-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "envelope mint opaque" -- "${cur}"))
                    return 0
                    ;;
                --processing-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pubsub-channel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leases-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replays-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --processed-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --audit-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --settlements-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sqs-queue-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__config__subcmd__use)
            opts="-q -o -h --context --redis-url --cluster --password-file --user --tls-ca-cert --tls-insecure --connect-timeout --command-timeout --connect-retries --connect-backoff-base --connect-backoff-cap --queue --profile --processing-key --dlq-key --pubsub-channel --leases-key --retry-key --replays-key --processed-key --audit-key --settlements-key --record-prefix --sqs-queue-url --endpoint-url --output --no-headers --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --redis-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "envelope mint opaque" -- "${cur}"))
                    return 0
                    ;;
                --processing-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pubsub-channel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leases-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replays-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --processed-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --audit-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --settlements-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sqs-queue-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__depth)
            opts="-q -o -h --watch --fail-above --max-age --dlq-fail-above --all-queues --match --textfile --context --redis-url --cluster --password-file --user --tls-ca-cert --tls-insecure --connect-timeout --command-timeout --connect-retries --connect-backoff-base --connect-backoff-cap --queue --profile --processing-key --dlq-key --pubsub-channel --leases-key --retry-key --replays-key --processed-key --audit-key --settlements-key --record-prefix --sqs-queue-url --endpoint-url --output --no-headers --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --watch)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --fail-above)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-age)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-fail-above)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --match)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --textfile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --redis-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "envelope mint opaque" -- "${cur}"))
                    return 0
                    ;;
                --processing-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pubsub-channel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leases-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replays-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --processed-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --audit-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --settlements-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sqs-queue-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__dlq)
            opts="-q -o -h --context --redis-url --cluster --password-file --user --tls-ca-cert --tls-insecure --connect-timeout --command-timeout --connect-retries --connect-backoff-base --connect-backoff-cap --queue --profile --processing-key --dlq-key --pubsub-channel --leases-key --retry-key --replays-key --processed-key --audit-key --settlements-key --record-prefix --sqs-queue-url --endpoint-url --output --no-headers --help list inspect replay discard purge import help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --redis-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "envelope mint opaque" -- "${cur}"))
                    return 0
                    ;;
                --processing-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pubsub-channel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leases-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replays-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --processed-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --audit-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --settlements-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sqs-queue-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__dlq__subcmd__discard)
            opts="-y -q -o -h --id --match --error --older-than --newer-than --shape --class --limit --reason --export --yes --dry-run --batch-size --rate --wait-replicas --wait-timeout --context --redis-url --cluster --password-file --user --tls-ca-cert --tls-insecure --connect-timeout --command-timeout --connect-retries --connect-backoff-base --connect-backoff-cap --queue --profile --processing-key --dlq-key --pubsub-channel --leases-key --retry-key --replays-key --processed-key --audit-key --settlements-key --record-prefix --sqs-queue-url --endpoint-url --output --no-headers --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --match)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --error)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --older-than)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --newer-than)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --shape)
                    COMPREPLY=($(compgen -W "wrapped envelope json raw" -- "${cur}"))
                    return 0
                    ;;
                --class)
                    COMPREPLY=($(compgen -W "budget_exhausted outcome_unknown signer_not_attester model_inactive permanent_revert schema_reject other" -- "${cur}"))
                    return 0
                    ;;
                --limit)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --reason)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --export)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --batch-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --rate)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --wait-replicas)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --wait-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --redis-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "envelope mint opaque" -- "${cur}"))
                    return 0
                    ;;
                --processing-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pubsub-channel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leases-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replays-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --processed-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --audit-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --settlements-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sqs-queue-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__dlq__subcmd__help)
            opts="list inspect replay discard purge import help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__dlq__subcmd__help__subcmd__discard)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__dlq__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__dlq__subcmd__help__subcmd__import)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__dlq__subcmd__help__subcmd__inspect)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__dlq__subcmd__help__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__dlq__subcmd__help__subcmd__purge)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__dlq__subcmd__help__subcmd__replay)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__dlq__subcmd__import)
            opts="-y -q -o -h --yes --dry-run --batch-size --rate --wait-replicas --wait-timeout --context --redis-url --cluster --password-file --user --tls-ca-cert --tls-insecure --connect-timeout --command-timeout --connect-retries --connect-backoff-base --connect-backoff-cap --queue --profile --processing-key --dlq-key --pubsub-channel --leases-key --retry-key --replays-key --processed-key --audit-key --settlements-key --record-prefix --sqs-queue-url --endpoint-url --output --no-headers --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --batch-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --rate)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --wait-replicas)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --wait-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --redis-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "envelope mint opaque" -- "${cur}"))
                    return 0
                    ;;
                --processing-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pubsub-channel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leases-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replays-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --processed-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --audit-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --settlements-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sqs-queue-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__dlq__subcmd__inspect)
            opts="-q -o -h --context --redis-url --cluster --password-file --user --tls-ca-cert --tls-insecure --connect-timeout --command-timeout --connect-retries --connect-backoff-base --connect-backoff-cap --queue --profile --processing-key --dlq-key --pubsub-channel --leases-key --retry-key --replays-key --processed-key --audit-key --settlements-key --record-prefix --sqs-queue-url --endpoint-url --output --no-headers --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --redis-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "envelope mint opaque" -- "${cur}"))
                    return 0
                    ;;
                --processing-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pubsub-channel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leases-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replays-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --processed-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --audit-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --settlements-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sqs-queue-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__dlq__subcmd__list)
            opts="-q -o -h --id --match --error --older-than --newer-than --shape --class --limit --context --redis-url --cluster --password-file --user --tls-ca-cert --tls-insecure --connect-timeout --command-timeout --connect-retries --connect-backoff-base --connect-backoff-cap --queue --profile --processing-key --dlq-key --pubsub-channel --leases-key --retry-key --replays-key --processed-key --audit-key --settlements-key --record-prefix --sqs-queue-url --endpoint-url --output --no-headers --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --match)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --error)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --older-than)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --newer-than)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --shape)
                    COMPREPLY=($(compgen -W "wrapped envelope json raw" -- "${cur}"))
                    return 0
                    ;;
                --class)
                    COMPREPLY=($(compgen -W "budget_exhausted outcome_unknown signer_not_attester model_inactive permanent_revert schema_reject other" -- "${cur}"))
                    return 0
                    ;;
                --limit)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --redis-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "envelope mint opaque" -- "${cur}"))
                    return 0
                    ;;
                --processing-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pubsub-channel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leases-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replays-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --processed-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --audit-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --settlements-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sqs-queue-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__dlq__subcmd__purge)
            opts="-y -q -o -h --id --match --error --older-than --newer-than --shape --class --limit --export --reason --yes --dry-run --batch-size --rate --wait-replicas --wait-timeout --context --redis-url --cluster --password-file --user --tls-ca-cert --tls-insecure --connect-timeout --command-timeout --connect-retries --connect-backoff-base --connect-backoff-cap --queue --profile --processing-key --dlq-key --pubsub-channel --leases-key --retry-key --replays-key --processed-key --audit-key --settlements-key --record-prefix --sqs-queue-url --endpoint-url --output --no-headers --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --match)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --error)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --older-than)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --newer-than)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --shape)
                    COMPREPLY=($(compgen -W "wrapped envelope json raw" -- "${cur}"))
                    return 0
                    ;;
                --class)
                    COMPREPLY=($(compgen -W "budget_exhausted outcome_unknown signer_not_attester model_inactive permanent_revert schema_reject other" -- "${cur}"))
                    return 0
                    ;;
                --limit)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --export)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --reason)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --batch-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --rate)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --wait-replicas)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --wait-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --redis-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "envelope mint opaque" -- "${cur}"))
                    return 0
                    ;;
                --processing-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pubsub-channel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leases-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replays-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --processed-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --audit-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --settlements-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sqs-queue-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__dlq__subcmd__replay)
            opts="-y -q -o -h --id --match --error --older-than --newer-than --shape --class --limit --to --keep-retry-count --include-raw --max-replays --force --confirm-not-minted --yes --dry-run --batch-size --rate --wait-replicas --wait-timeout --context --redis-url --cluster --password-file --user --tls-ca-cert --tls-insecure --connect-timeout --command-timeout --connect-retries --connect-backoff-base --connect-backoff-cap --queue --profile --processing-key --dlq-key --pubsub-channel --leases-key --retry-key --replays-key --processed-key --audit-key --settlements-key --record-prefix --sqs-queue-url --endpoint-url --output --no-headers --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --match)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --error)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --older-than)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --newer-than)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --shape)
                    COMPREPLY=($(compgen -W "wrapped envelope json raw" -- "${cur}"))
                    return 0
                    ;;
                --class)
                    COMPREPLY=($(compgen -W "budget_exhausted outcome_unknown signer_not_attester model_inactive permanent_revert schema_reject other" -- "${cur}"))
                    return 0
                    ;;
                --limit)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --to)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-replays)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --batch-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --rate)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --wait-replicas)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --wait-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --redis-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "envelope mint opaque" -- "${cur}"))
                    return 0
                    ;;
                --processing-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pubsub-channel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leases-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replays-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --processed-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --audit-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --settlements-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sqs-queue-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__doctor)
            opts="-q -o -h --context --redis-url --cluster --password-file --user --tls-ca-cert --tls-insecure --connect-timeout --command-timeout --connect-retries --connect-backoff-base --connect-backoff-cap --queue --profile --processing-key --dlq-key --pubsub-channel --leases-key --retry-key --replays-key --processed-key --audit-key --settlements-key --record-prefix --sqs-queue-url --endpoint-url --output --no-headers --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --redis-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "envelope mint opaque" -- "${cur}"))
                    return 0
                    ;;
                --processing-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pubsub-channel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leases-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replays-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --processed-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --audit-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --settlements-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sqs-queue-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__drain)
            opts="-q -o -h --exec --exec-stream --concurrency --window --handler-timeout --retry-base --retry-cap --wait --follow --max --batch --visibility-timeout --max-message-bytes --context --redis-url --cluster --password-file --user --tls-ca-cert --tls-insecure --connect-timeout --command-timeout --connect-retries --connect-backoff-base --connect-backoff-cap --queue --profile --processing-key --dlq-key --pubsub-channel --leases-key --retry-key --replays-key --processed-key --audit-key --settlements-key --record-prefix --sqs-queue-url --endpoint-url --output --no-headers --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --exec)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --exec-stream)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --concurrency)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --window)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --handler-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --wait)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --batch)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --visibility-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-message-bytes)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --redis-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "envelope mint opaque" -- "${cur}"))
                    return 0
                    ;;
                --processing-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pubsub-channel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leases-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replays-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --processed-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --audit-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --settlements-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sqs-queue-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__emit)
            opts="-q -o -h --model-id --token-symbol --metric-name --baseline-value --current-value --model-name --model-version --mlflow-run-id --proposal-identifier --improvement-percentage --contributor-address --experiment-name --tag --api-schema --eval-spec --scorer-ref --primary-metric --benchmark-spec-id --payload-timestamp --payload --file --envelopes --skip-present --raw --skip --resume --message-id --message-type --max-retries --no-publish --batch-size --max-message-bytes --group-id --wait-replicas --wait-timeout --context --redis-url --cluster --password-file --user --tls-ca-cert --tls-insecure --connect-timeout --command-timeout --connect-retries --connect-backoff-base --connect-backoff-cap --queue --profile --processing-key --dlq-key --pubsub-channel --leases-key --retry-key --replays-key --processed-key --audit-key --settlements-key --record-prefix --sqs-queue-url --endpoint-url --output --no-headers --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --model-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --token-symbol)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --metric-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --baseline-value)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --current-value)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --model-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --model-version)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --mlflow-run-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --proposal-identifier)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --improvement-percentage)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --contributor-address)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --experiment-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tag)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --api-schema)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --eval-spec)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --scorer-ref)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --primary-metric)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --benchmark-spec-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --payload-timestamp)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --payload)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --skip)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --resume)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --message-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --message-type)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --batch-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-message-bytes)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --group-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --wait-replicas)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --wait-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --redis-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "envelope mint opaque" -- "${cur}"))
                    return 0
                    ;;
                --processing-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pubsub-channel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leases-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replays-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --processed-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --audit-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --settlements-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sqs-queue-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__exporter)
            opts="-q -o -h --listen --all-queues --match --min-interval --connections --scrape-timeout --context --redis-url --cluster --password-file --user --tls-ca-cert --tls-insecure --connect-timeout --command-timeout --connect-retries --connect-backoff-base --connect-backoff-cap --queue --profile --processing-key --dlq-key --pubsub-channel --leases-key --retry-key --replays-key --processed-key --audit-key --settlements-key --record-prefix --sqs-queue-url --endpoint-url --output --no-headers --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --listen)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --match)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --min-interval)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connections)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --scrape-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --redis-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "envelope mint opaque" -- "${cur}"))
                    return 0
                    ;;
                --processing-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pubsub-channel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leases-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replays-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --processed-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --audit-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --settlements-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sqs-queue-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help)
            opts="emit peek depth exporter drain reap-stale dlq message doctor config top migrate help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help__subcmd__config)
            opts="list show use set"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help__subcmd__config__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help__subcmd__config__subcmd__set)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help__subcmd__config__subcmd__show)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help__subcmd__config__subcmd__use)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help__subcmd__depth)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help__subcmd__dlq)
            opts="list inspect replay discard purge import"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help__subcmd__dlq__subcmd__discard)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help__subcmd__dlq__subcmd__import)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help__subcmd__dlq__subcmd__inspect)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help__subcmd__dlq__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help__subcmd__dlq__subcmd__purge)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help__subcmd__dlq__subcmd__replay)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help__subcmd__doctor)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help__subcmd__drain)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help__subcmd__emit)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help__subcmd__exporter)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help__subcmd__message)
            opts="inspect delete dead-letter requeue"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help__subcmd__message__subcmd__dead__subcmd__letter)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help__subcmd__message__subcmd__delete)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help__subcmd__message__subcmd__inspect)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help__subcmd__message__subcmd__requeue)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help__subcmd__migrate)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help__subcmd__peek)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help__subcmd__reap__subcmd__stale)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__help__subcmd__top)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__message)
            opts="-q -o -h --context --redis-url --cluster --password-file --user --tls-ca-cert --tls-insecure --connect-timeout --command-timeout --connect-retries --connect-backoff-base --connect-backoff-cap --queue --profile --processing-key --dlq-key --pubsub-channel --leases-key --retry-key --replays-key --processed-key --audit-key --settlements-key --record-prefix --sqs-queue-url --endpoint-url --output --no-headers --help inspect delete dead-letter requeue help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --redis-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "envelope mint opaque" -- "${cur}"))
                    return 0
                    ;;
                --processing-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pubsub-channel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leases-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replays-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --processed-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --audit-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --settlements-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sqs-queue-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__message__subcmd__dead__subcmd__letter)
            opts="-y -q -o -h --in --position --reason --force --yes --dry-run --wait-replicas --wait-timeout --context --redis-url --cluster --password-file --user --tls-ca-cert --tls-insecure --connect-timeout --command-timeout --connect-retries --connect-backoff-base --connect-backoff-cap --queue --profile --processing-key --dlq-key --pubsub-channel --leases-key --retry-key --replays-key --processed-key --audit-key --settlements-key --record-prefix --sqs-queue-url --endpoint-url --output --no-headers --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --in)
                    COMPREPLY=($(compgen -W "main processing dlq retry" -- "${cur}"))
                    return 0
                    ;;
                --position)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --reason)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --wait-replicas)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --wait-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --redis-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "envelope mint opaque" -- "${cur}"))
                    return 0
                    ;;
                --processing-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pubsub-channel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leases-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replays-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --processed-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --audit-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --settlements-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sqs-queue-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__message__subcmd__delete)
            opts="-y -q -o -h --in --position --reason --force --yes --dry-run --wait-replicas --wait-timeout --context --redis-url --cluster --password-file --user --tls-ca-cert --tls-insecure --connect-timeout --command-timeout --connect-retries --connect-backoff-base --connect-backoff-cap --queue --profile --processing-key --dlq-key --pubsub-channel --leases-key --retry-key --replays-key --processed-key --audit-key --settlements-key --record-prefix --sqs-queue-url --endpoint-url --output --no-headers --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --in)
                    COMPREPLY=($(compgen -W "main processing dlq retry" -- "${cur}"))
                    return 0
                    ;;
                --position)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --reason)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --wait-replicas)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --wait-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --redis-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "envelope mint opaque" -- "${cur}"))
                    return 0
                    ;;
                --processing-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pubsub-channel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leases-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replays-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --processed-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --audit-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --settlements-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sqs-queue-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__message__subcmd__help)
            opts="inspect delete dead-letter requeue help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__message__subcmd__help__subcmd__dead__subcmd__letter)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__message__subcmd__help__subcmd__delete)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__message__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__message__subcmd__help__subcmd__inspect)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__message__subcmd__help__subcmd__requeue)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__message__subcmd__inspect)
            opts="-q -o -h --in --position --context --redis-url --cluster --password-file --user --tls-ca-cert --tls-insecure --connect-timeout --command-timeout --connect-retries --connect-backoff-base --connect-backoff-cap --queue --profile --processing-key --dlq-key --pubsub-channel --leases-key --retry-key --replays-key --processed-key --audit-key --settlements-key --record-prefix --sqs-queue-url --endpoint-url --output --no-headers --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --in)
                    COMPREPLY=($(compgen -W "main processing dlq retry" -- "${cur}"))
                    return 0
                    ;;
                --position)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --redis-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "envelope mint opaque" -- "${cur}"))
                    return 0
                    ;;
                --processing-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pubsub-channel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leases-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replays-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --processed-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --audit-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --settlements-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sqs-queue-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__message__subcmd__requeue)
            opts="-y -q -o -h --in --position --force --yes --dry-run --wait-replicas --wait-timeout --context --redis-url --cluster --password-file --user --tls-ca-cert --tls-insecure --connect-timeout --command-timeout --connect-retries --connect-backoff-base --connect-backoff-cap --queue --profile --processing-key --dlq-key --pubsub-channel --leases-key --retry-key --replays-key --processed-key --audit-key --settlements-key --record-prefix --sqs-queue-url --endpoint-url --output --no-headers --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --in)
                    COMPREPLY=($(compgen -W "main processing dlq retry" -- "${cur}"))
                    return 0
                    ;;
                --position)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --wait-replicas)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --wait-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --redis-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "envelope mint opaque" -- "${cur}"))
                    return 0
                    ;;
                --processing-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pubsub-channel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leases-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replays-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --processed-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --audit-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --settlements-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sqs-queue-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__migrate)
            opts="-q -o -h --to --include-dlq --dry-run --batch --visibility-timeout --group-id --context --redis-url --cluster --password-file --user --tls-ca-cert --tls-insecure --connect-timeout --command-timeout --connect-retries --connect-backoff-base --connect-backoff-cap --queue --profile --processing-key --dlq-key --pubsub-channel --leases-key --retry-key --replays-key --processed-key --audit-key --settlements-key --record-prefix --sqs-queue-url --endpoint-url --output --no-headers --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --to)
                    COMPREPLY=($(compgen -W "sqs redis" -- "${cur}"))
                    return 0
                    ;;
                --batch)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --visibility-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --group-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --redis-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "envelope mint opaque" -- "${cur}"))
                    return 0
                    ;;
                --processing-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pubsub-channel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leases-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replays-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --processed-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --audit-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --settlements-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sqs-queue-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__peek)
            opts="-n -q -o -h --limit --from --list --offset --receive --id --match --context --redis-url --cluster --password-file --user --tls-ca-cert --tls-insecure --connect-timeout --command-timeout --connect-retries --connect-backoff-base --connect-backoff-cap --queue --profile --processing-key --dlq-key --pubsub-channel --leases-key --retry-key --replays-key --processed-key --audit-key --settlements-key --record-prefix --sqs-queue-url --endpoint-url --output --no-headers --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --limit)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --from)
                    COMPREPLY=($(compgen -W "oldest newest" -- "${cur}"))
                    return 0
                    ;;
                --list)
                    COMPREPLY=($(compgen -W "main processing dlq retry" -- "${cur}"))
                    return 0
                    ;;
                --offset)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --match)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --redis-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "envelope mint opaque" -- "${cur}"))
                    return 0
                    ;;
                --processing-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pubsub-channel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leases-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replays-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --processed-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --audit-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --settlements-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sqs-queue-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__reap__subcmd__stale)
            opts="-q -o -h --visibility-timeout --promote-retries --max-reclaims --dry-run --watch --context --redis-url --cluster --password-file --user --tls-ca-cert --tls-insecure --connect-timeout --command-timeout --connect-retries --connect-backoff-base --connect-backoff-cap --queue --profile --processing-key --dlq-key --pubsub-channel --leases-key --retry-key --replays-key --processed-key --audit-key --settlements-key --record-prefix --sqs-queue-url --endpoint-url --output --no-headers --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --visibility-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-reclaims)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --watch)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --redis-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "envelope mint opaque" -- "${cur}"))
                    return 0
                    ;;
                --processing-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pubsub-channel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leases-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replays-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --processed-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --audit-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --settlements-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sqs-queue-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        hokusai__queue__subcmd__top)
            opts="-q -o -h --interval --match --allow-writes --context --redis-url --cluster --password-file --user --tls-ca-cert --tls-insecure --connect-timeout --command-timeout --connect-retries --connect-backoff-base --connect-backoff-cap --queue --profile --processing-key --dlq-key --pubsub-channel --leases-key --retry-key --replays-key --processed-key --audit-key --settlements-key --record-prefix --sqs-queue-url --endpoint-url --output --no-headers --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --interval)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --match)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --redis-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --password-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-ca-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-base)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --connect-backoff-cap)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -W "envelope mint opaque" -- "${cur}"))
                    return 0
                    ;;
                --processing-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dlq-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pubsub-channel)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leases-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replays-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --processed-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --audit-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --settlements-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sqs-queue-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide plain json jsonl prometheus" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
    esac
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _hokusai__queue -o nosort -o bashdefault -o default hokusai-queue
else
    complete -F _hokusai__queue -o bashdefault -o default hokusai-queue
fi
