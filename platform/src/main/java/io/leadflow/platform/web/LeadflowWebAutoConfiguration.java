package io.leadflow.platform.web;

import org.apache.catalina.startup.Tomcat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

import java.net.InetAddress;

/**
 * What every Leadflow web application shares: the admin-access rule ({@link AdminAccess}) in front of its admin
 * endpoints; one advice ({@link ProblemAdvice}) that answers every controller's errors, {@link HttpProblem}s and what
 * the service's {@link ProblemMapping}s map among them, as {@code application/problem+json} naming the field; Spring's
 * error page and Tomcat's own error answers in the same shape. Server
 * defaults (read timeout, keep-alive, no error internals) come from {@link WebDefaults}.
 */
@AutoConfiguration(before = ErrorMvcAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(AdminAccessProperties.class)
public class LeadflowWebAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(LeadflowWebAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    AdminAccess adminAccess(AdminAccessProperties properties, Environment environment) {
        InetAddress address = Binder.get(environment).bind("server.address", InetAddress.class).orElse(null);
        AdminAccess access = AdminAccess.of(properties, address);
        String line = access.describe(environment.getProperty("spring.application.name", "this service"));
        if (access.mode() == AdminAccess.Mode.REFUSED) {
            log.warn(line);
        } else {
            log.info(line);
        }
        return access;
    }

    @Bean
    FilterRegistrationBean<AdminAccessFilter> adminAccessFilter(AdminAccess access) {
        FilterRegistrationBean<AdminAccessFilter> registration = new FilterRegistrationBean<>(new AdminAccessFilter(access));
        registration.setName("leadflowAdminAccess");
        // Early, before anything that reads the body or dispatches; after Boot's encoding and observation filters.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    @ConditionalOnMissingBean(ErrorController.class)
    ProblemErrorController problemErrorController() {
        return new ProblemErrorController();
    }

    @Bean
    ProblemAdvice leadflowProblemAdvice(ObjectProvider<ProblemMapping> mappings, ObjectProvider<ProblemListener> listeners) {
        return new ProblemAdvice(mappings.orderedStream().toList(), listeners.orderedStream().toList());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.apache.kafka.streams.errors.InvalidStateStoreException")
    static class KafkaStreamsProblems {

        @Bean
        ProblemMapping streamsStateProblems() {
            return new StreamsStateProblems();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "jakarta.validation.ConstraintViolationException")
    static class BeanValidationProblems {

        @Bean
        ProblemMapping constraintViolationProblems() {
            return new ConstraintViolationProblems();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Tomcat.class)
    static class TomcatErrors {

        @Bean
        ProblemErrorReportValveCustomizer problemErrorReportValve() {
            return new ProblemErrorReportValveCustomizer();
        }
    }
}
