package dev.ipcboot.socket.udp.internal;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.expression.spel.support.StandardEvaluationContext;
import org.springframework.integration.context.IntegrationContextUtils;

/**
 * The few beans Spring Integration's UDP adapters look up, in a bean factory of their own
 * (ADR 0016): the application does not get Spring Integration's infrastructure (channels,
 * error handling, its own task scheduler) because one entry is a UDP one.
 */
final class IntegrationSupport {

	private IntegrationSupport() {
	}

	static BeanFactory beanFactory() {
		DefaultListableBeanFactory factory = new DefaultListableBeanFactory();
		// the sending handlers evaluate their socket and destination with it; ours are
		// FunctionExpressions, which do not look at it
		factory.registerSingleton(IntegrationContextUtils.INTEGRATION_EVALUATION_CONTEXT_BEAN_NAME,
				new StandardEvaluationContext());
		return factory;
	}

}
