package io.leadflow.crm;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class CrmSyncApplication {

    public static void main(String[] args) {
        SpringApplication.run(CrmSyncApplication.class, args);
    }
}
