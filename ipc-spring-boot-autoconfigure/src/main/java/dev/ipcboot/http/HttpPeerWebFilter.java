package dev.ipcboot.http;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * Puts the {@link HttpPeer} of an exchange that came in over the Unix-domain socket on
 * Reactor Netty as the exchange attribute {@link HttpPeer#ATTRIBUTE}, ahead of every
 * other filter (Spring Security's included), so that they can read it. Exchanges that
 * came in over TCP get no attribute.
 */
public final class HttpPeerWebFilter implements WebFilter, Ordered {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		Object request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
		if (request instanceof Connection connection) {
			HttpPeer peer = ReactorNettyListener.peerOf(connection);
			if (peer != null) {
				exchange.getAttributes().put(HttpPeer.ATTRIBUTE, peer);
			}
		}
		return chain.filter(exchange);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
