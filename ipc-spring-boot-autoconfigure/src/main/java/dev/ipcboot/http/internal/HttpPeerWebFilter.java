package dev.ipcboot.http.internal;

import jakarta.servlet.ServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.ClassUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

import dev.ipcboot.http.HttpPeer;

/**
 * Puts the {@link HttpPeer} of an exchange that came in over the Unix-domain socket on
 * the exchange as the attribute {@link HttpPeer#ATTRIBUTE}, ahead of every other filter
 * (Spring Security's included), so that they can read it: on Reactor Netty from the
 * connection, on reactive Tomcat and Jetty (servlet-based) from the servlet request.
 * Exchanges that came in over TCP get no attribute.
 */
public final class HttpPeerWebFilter implements WebFilter, Ordered {

	private static final ClassLoader CLASS_LOADER = HttpPeerWebFilter.class.getClassLoader();

	private static final boolean REACTOR_NETTY = ClassUtils.isPresent("reactor.netty.Connection", CLASS_LOADER);

	private static final boolean SERVLET = ClassUtils.isPresent("jakarta.servlet.ServletRequest", CLASS_LOADER);

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		Object request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
		HttpPeer peer = null;
		if (REACTOR_NETTY) {
			peer = ReactorNetty.peerOf(request);
		}
		if (peer == null && SERVLET) {
			peer = Servlet.peerOf(request);
		}
		if (peer != null) {
			exchange.getAttributes().put(HttpPeer.ATTRIBUTE, peer);
		}
		return chain.filter(exchange);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	/**
	 * Kept apart so that nothing loads Reactor Netty's classes unless they are present.
	 */
	private static final class ReactorNetty {

		static @Nullable HttpPeer peerOf(Object request) {
			return (request instanceof Connection connection) ? ReactorNettyListener.peerOf(connection) : null;
		}

	}

	/** Kept apart so that nothing loads the servlet API unless it is present. */
	private static final class Servlet {

		static @Nullable HttpPeer peerOf(Object request) {
			return (request instanceof ServletRequest servletRequest
					&& servletRequest.getAttribute(HttpPeer.ATTRIBUTE) instanceof HttpPeer peer) ? peer : null;
		}

	}

}
