package dev.ipcboot.listener;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method that receives the messages of one or more channels: socket servers
 * ({@code ipc.servers}), D-Bus signal subscriptions ({@code ipc.dbus.signals}) and
 * managed processes' output ({@code ipc.processes}).
 * <p>
 * Parameters are resolved as for Spring messaging handler methods: the payload as
 * {@code byte[]}, {@code String} (UTF-8) or any object (JSON through the application's
 * JSON mapper), {@code Message<?>}, and {@code @Header} values named in
 * {@link IpcHeaders}. The return value is the reply ({@code void} means none; a
 * {@code CompletableFuture} replies when it completes).
 * <p>
 * A {@link java.nio.ByteBuffer} payload is read-only and <em>borrowed</em>: where the
 * channel lends its frames (a length-prefixed socket server, a shared-memory server) it
 * is a view of a buffer that the channel reuses for its next frame, so it is valid only
 * until the method returns; copy it to keep it or to use it on another thread (a
 * {@code Message} parameter's {@code ByteBuffer} payload is the same read-only view). A
 * method returning a {@code CompletionStage}, or a method of a proxied bean
 * ({@code @Async}, or any interceptor, which may run it after the call), is given a view
 * of a copy of its own instead, and every other payload type is a copy the method owns
 * (see {@link IpcChannel#addListener}).
 * <p>
 * A channel name that no configuration defines fails start-up with a message that names
 * the method and lists the known channels; so does a required {@code @Header} that the
 * channel never carries (a peer uid on a TCP server: declare it
 * {@code @Header(name = SocketHeaders.PEER_UID, required = false) Integer uid} (a socket
 * facility header) to accept both), an {@link #errorHandler()} that names no
 * {@link IpcErrorHandler} bean, and a {@code @Valid} payload without a validator in the
 * context.
 * <p>
 * Each listener can be started, stopped, paused and resumed at run time through the
 * {@link IpcListenerEndpointRegistry} by its {@link #id()}, as {@code @KafkaListener}
 * containers are through {@code KafkaListenerEndpointRegistry}.
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface IpcListener {

	/**
	 * Names of the channels to listen to; {@code ${...}} placeholders are resolved.
	 * @return the channel names
	 */
	String[] value();

	/**
	 * Identifier of the listener in the {@link IpcListenerEndpointRegistry};
	 * {@code ${...}} placeholders are resolved. Empty means
	 * {@code <bean name>.<method name>}. Identifiers are unique: a duplicate fails
	 * start-up.
	 * @return the identifier
	 */
	String id() default "";

	/**
	 * Whether the listener receives messages as soon as the application starts. When
	 * {@code false}, its channel holds messages back until
	 * {@link IpcListenerEndpointRegistry#start(String)} (a socket server is not even
	 * bound until then).
	 * @return whether to start with the application
	 */
	boolean autoStartup() default true;

	/**
	 * Name of an {@link IpcErrorHandler} bean that handles this listener's failures
	 * instead of the application's global one; {@code ${...}} placeholders are resolved.
	 * Empty means the global handler, if there is one.
	 * @return the bean name
	 */
	String errorHandler() default "";

}
