package io.livepatch4j.agent.tooling.integrations;

import java.util.List;

import static io.livepatch4j.agent.tooling.integrations.JdkExecutors.hooks;
import static io.livepatch4j.agent.tooling.integrations.ServerCalls.SERVER;
import static io.livepatch4j.agent.tooling.integrations.ServerCalls.call;

/**
 * {@code com.sun.net.httpserver}: an exchange is a unit from {@code ServerImpl.Exchange.run} until it
 * is closed or its response body is written in full, on whatever thread that happens.
 */
final class JdkHttpServer implements Integration {

    @Override
    public String name() {
        return "com.sun.net.httpserver";
    }

    @Override
    public void declare(TypeGate types) {
        // ServerImpl.Exchange.run handles one exchange.
        types.weave(hooks("sun/net/httpserver/ServerImpl$Exchange", List.of(new Hooks.MethodHook("run", Hooks.arguments(0),
            call(SERVER, "httpExchange", "()V"), call(SERVER, "exit", "()V"), true)), List.of()));
        // ExchangeImpl is created inside the exchange's unit, which stays open until the exchange
        // completes: its close, or the WriteFinishedEvent(ExchangeImpl) of a response written in full.
        types.weave(hooks("sun/net/httpserver/ExchangeImpl",
            List.of(new Hooks.MethodHook("<init>", Hooks.any(), null,
                    call(SERVER, "requestOpened", "(Ljava/lang/Object;)V", Hooks.Source.THIS), false),
                new Hooks.MethodHook("close", Hooks.arguments(0),
                    call(SERVER, "requestDone", "(Ljava/lang/Object;)V", Hooks.Source.THIS), null, false)), List.of()));
        // The event's class: WriteFinishedEvent up to JDK 24, Event.WriteFinished from JDK 25 on.
        for (String writeFinished : List.of("sun/net/httpserver/WriteFinishedEvent", "sun/net/httpserver/Event$WriteFinished")) {
            types.weave(hooks(writeFinished, List.of(new Hooks.MethodHook("<init>", Hooks.arguments(1), null,
                call(SERVER, "requestDone", "(Ljava/lang/Object;)V", Hooks.Source.ARG0), false)), List.of()));
        }
    }
}
