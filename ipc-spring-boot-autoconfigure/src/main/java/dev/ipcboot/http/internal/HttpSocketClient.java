package dev.ipcboot.http.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.JettyClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import dev.ipcboot.internal.IpcInvocation;
import dev.ipcboot.internal.IpcInvocationMetrics;
import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.IpcResourceState;
import dev.ipcboot.http.HttpClientSettings;

/**
 * The connection behind a {@link RestClient} whose requests go over a Unix-domain socket:
 * Jetty's {@code HttpClient} with the socket as the transport of every request. It is
 * started when created and stopped by {@link #close()}, which also stops its threads
 * ({@code ipc-http-<name>-*}).
 */
public final class HttpSocketClient implements IpcResource, AutoCloseable {

	private final HttpClientSettings settings;

	private final HttpClient httpClient;

	private final RestClient restClient;

	/**
	 * Start the underlying client; nothing connects until the first request.
	 * @param settings the socket, base URL and timeouts
	 * @param builder builds the RestClient; its base URL and request factory are replaced
	 * @throws IllegalStateException if Jetty's client cannot start
	 */
	public HttpSocketClient(HttpClientSettings settings, RestClient.Builder builder) {
		this(settings, builder, IpcInvocationMetrics.NONE);
	}

	/**
	 * Start the underlying client; nothing connects until the first request.
	 * @param settings the socket, base URL and timeouts
	 * @param builder builds the RestClient; its base URL and request factory are replaced
	 * @param metrics times each exchange
	 * @throws IllegalStateException if Jetty's client cannot start
	 */
	public HttpSocketClient(HttpClientSettings settings, RestClient.Builder builder, IpcInvocationMetrics metrics) {
		this.settings = settings;
		this.httpClient = newHttpClient(settings);
		try {
			this.httpClient.start();
		}
		catch (Exception ex) {
			throw new IllegalStateException("HTTP client '" + settings.name() + "' for " + settings.path()
					+ " could not start: " + ex.getMessage(), ex);
		}
		JettyClientHttpRequestFactory requestFactory = new JettyClientHttpRequestFactory(this.httpClient);
		requestFactory.setReadTimeout(settings.readTimeout());
		this.restClient = builder.baseUrl(settings.baseUrl().toString())
			.requestFactory(requestFactory)
			.requestInterceptor(timed(metrics))
			.build();
	}

	private static ClientHttpRequestInterceptor timed(IpcInvocationMetrics metrics) {
		return (request, body, execution) -> {
			IpcInvocation invocation = metrics.start(null);
			try {
				ClientHttpResponse response = execution.execute(request, body);
				invocation.success();
				return response;
			}
			catch (IOException | RuntimeException ex) {
				invocation.failure(ex);
				throw ex;
			}
		};
	}

	private static HttpClient newHttpClient(HttpClientSettings settings) {
		String threads = "ipc-http-" + settings.name();
		QueuedThreadPool executor = new QueuedThreadPool();
		executor.setName(threads);
		ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler(threads + "-scheduler", false);
		ClientConnector connector = new ClientConnector();
		connector.setExecutor(executor);
		connector.setScheduler(scheduler);
		connector.setConnectTimeout(settings.connectTimeout());
		HttpClient client = new UnixDomainHttpClient(new HttpClientTransportOverHTTP(connector),
				new Transport.TCPUnix(settings.path()));
		client.setName(threads);
		client.setExecutor(executor);
		client.setScheduler(scheduler);
		client.setConnectTimeout(settings.connectTimeout().toMillis());
		return client;
	}

	/**
	 * The client to call the server with; its requests are relative to the base URL.
	 * @return the client
	 */
	public RestClient restClient() {
		return this.restClient;
	}

	@Override
	public String name() {
		return this.settings.name();
	}

	@Override
	public String kind() {
		return "http local client";
	}

	@Override
	public IpcResourceState state() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("path", this.settings.path().toString());
		details.put("baseUrl", this.settings.baseUrl().toString());
		if (!this.httpClient.isRunning()) {
			return IpcResourceState.down("closed", details);
		}
		if (!Files.exists(this.settings.path())) {
			return IpcResourceState.down("socket file " + this.settings.path() + " does not exist", details);
		}
		return IpcResourceState.up(details);
	}

	/**
	 * Stop the client and its threads; requests in flight fail.
	 * @throws Exception if Jetty's client fails to stop
	 */
	@Override
	public void close() throws Exception {
		this.httpClient.stop();
	}

	/** Jetty's client with every request sent over the one Unix-domain socket. */
	private static final class UnixDomainHttpClient extends HttpClient {

		private final Transport transport;

		UnixDomainHttpClient(HttpClientTransportOverHTTP clientTransport, Transport transport) {
			super(clientTransport);
			this.transport = transport;
		}

		@Override
		public Request newRequest(URI uri) {
			return super.newRequest(uri).transport(this.transport);
		}

	}

}
