package dev.ipcboot.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Role;
import org.springframework.messaging.converter.MessageConverter;

import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.listener.IpcChannelSource;
import dev.ipcboot.listener.IpcErrorHandler;
import dev.ipcboot.listener.internal.IpcListenerAnnotationBeanPostProcessor;
import dev.ipcboot.listener.IpcListenerEndpointRegistry;

/**
 * Auto-configuration of the {@link dev.ipcboot.listener.IpcListener} programming model,
 * shared by every facility that produces messages; registered only when something uses
 * it: an {@code ipc} property, an {@code @IpcListener} method, a {@code @DBusExport} bean
 * or a channel source of the application's own ({@link ConditionalOnIpcUsed}). An
 * {@code @IpcListener} on an unknown channel so still fails start-up with nothing
 * configured.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnIpcUsed
public final class IpcListenerAutoConfiguration {

	/** Name of the message converter bean used for payloads and replies. */
	public static final String MESSAGE_CONVERTER_BEAN_NAME = "ipcMessageConverter";

	/**
	 * Fails start-up on a misspelt property below {@code ipc}, before any bean of ours is
	 * created ({@link UnknownIpcProperties}).
	 */
	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static UnknownIpcProperties ipcUnknownPropertiesCheck() {
		return new UnknownIpcProperties();
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static IpcListenerAnnotationBeanPostProcessor ipcListenerAnnotationBeanPostProcessor() {
		return new IpcListenerAnnotationBeanPostProcessor();
	}

	/**
	 * The converter, created when a listener endpoint, server or client first needs it:
	 * an application without listeners does not build a JSON converter for nothing.
	 */
	@Bean(MESSAGE_CONVERTER_BEAN_NAME)
	@Lazy
	@ConditionalOnMissingBean(name = MESSAGE_CONVERTER_BEAN_NAME)
	MessageConverter ipcMessageConverter(ApplicationContext context) {
		return IpcMessageConverters.create(context);
	}

	@Bean
	@ConditionalOnMissingBean
	IpcListenerEndpointRegistry ipcListenerEndpointRegistry(ObjectProvider<IpcChannelSource> channelSources,
			@Qualifier(MESSAGE_CONVERTER_BEAN_NAME) ObjectProvider<MessageConverter> converter,
			ObjectProvider<IpcErrorHandler> errorHandler, ApplicationEventPublisher publisher,
			ObjectProvider<IpcMetrics> metrics) {
		return new IpcListenerEndpointRegistry(channelSources, new LazyMessageConverter(converter), errorHandler,
				publisher, metrics);
	}

}
