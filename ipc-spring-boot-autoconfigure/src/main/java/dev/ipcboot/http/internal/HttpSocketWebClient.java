package dev.ipcboot.http.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.DomainSocketAddress;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import dev.ipcboot.internal.IpcInvocation;
import dev.ipcboot.internal.IpcInvocationMetrics;
import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.IpcResourceState;
import dev.ipcboot.http.HttpClientSettings;

/**
 * The connection behind a {@link WebClient} whose requests go over a Unix-domain socket:
 * Reactor Netty's {@code HttpClient} with the socket as its remote address, on its own
 * event loop ({@code ipc-http-<name>-reactive-*}, Netty's native epoll transport, which
 * Unix-domain sockets need) and connection pool. {@link #close()} releases both.
 */
public final class HttpSocketWebClient implements IpcResource, AutoCloseable {

	private final HttpClientSettings settings;

	private final LoopResources loops;

	private final ConnectionProvider connections;

	private final WebClient webClient;

	private volatile boolean closed;

	/**
	 * Create the client; nothing connects until the first request.
	 * @param settings the socket, base URL and timeouts
	 * @param builder builds the WebClient; its base URL and connector are replaced
	 * @param metrics times each exchange
	 * @throws IllegalStateException if Netty's native transport is unavailable
	 */
	public HttpSocketWebClient(HttpClientSettings settings, WebClient.Builder builder, IpcInvocationMetrics metrics) {
		if (!Epoll.isAvailable()) {
			throw new IllegalStateException("WebClient '" + settings.name() + "' cannot reach " + settings.path()
					+ ": Reactor Netty connects to Unix-domain sockets only on Netty's native epoll transport,"
					+ " which is unavailable: " + Epoll.unavailabilityCause());
		}
		this.settings = settings;
		String threads = "ipc-http-" + settings.name() + "-reactive";
		this.loops = LoopResources.create(threads, 1, true);
		this.connections = ConnectionProvider.create(threads);
		HttpClient client = HttpClient.create(this.connections)
			.runOn(this.loops, true)
			.remoteAddress(() -> new DomainSocketAddress(settings.path().toFile()))
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
					(int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()))
			.responseTimeout(settings.readTimeout());
		this.webClient = builder.baseUrl(settings.baseUrl().toString())
			.clientConnector(overSocket(new ReactorClientHttpConnector(client), settings))
			.filter(timed(metrics))
			.build();
	}

	/**
	 * Reactor Netty connects to the host of an absolute URI whatever remote address it is
	 * given, and WebClient hands its connector absolute URIs: this connector passes on
	 * the path and query only, so that the client connects to the socket, and sends the
	 * URI's host as the {@code Host} header.
	 */
	private static ClientHttpConnector overSocket(ClientHttpConnector connector, HttpClientSettings settings) {
		return (method, uri, requestCallback) -> {
			String host = (uri.getPort() != -1) ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
			String path = StringUtils.hasLength(uri.getRawPath()) ? uri.getRawPath() : "/";
			URI relative = URI.create((uri.getRawQuery() != null) ? path + "?" + uri.getRawQuery() : path);
			return connector.connect(method, relative, (request) -> {
				if (host != null) {
					request.getHeaders().set(HttpHeaders.HOST, host);
				}
				return requestCallback.apply(request);
			})
				.onErrorMap(IOException.class,
						(ex) -> new IOException(
								"HTTP client '" + settings.name() + "' over the socket " + settings.path() + ": " + ex,
								ex));
		};
	}

	private static ExchangeFilterFunction timed(IpcInvocationMetrics metrics) {
		return (request, next) -> Mono.defer(() -> {
			IpcInvocation invocation = metrics.start(null);
			return next.exchange(request)
				.doOnSuccess((response) -> invocation.success())
				.doOnError(invocation::failure)
				.doOnCancel(() -> invocation.failure(new IllegalStateException("cancelled")));
		});
	}

	/**
	 * The client to call the server with; its requests are relative to the base URL.
	 * @return the client
	 */
	public WebClient webClient() {
		return this.webClient;
	}

	@Override
	public String name() {
		return this.settings.name();
	}

	@Override
	public String kind() {
		return "http local web client";
	}

	@Override
	public IpcResourceState state() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("path", this.settings.path().toString());
		details.put("baseUrl", this.settings.baseUrl().toString());
		if (this.closed) {
			return IpcResourceState.down("closed", details);
		}
		if (!Files.exists(this.settings.path())) {
			return IpcResourceState.down("socket file " + this.settings.path() + " does not exist", details);
		}
		return IpcResourceState.up(details);
	}

	/**
	 * Close the pooled connections and stop the event loop; requests in flight fail.
	 */
	@Override
	public void close() {
		this.closed = true;
		this.connections.disposeLater().block(Duration.ofSeconds(10));
		this.loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
	}

}
