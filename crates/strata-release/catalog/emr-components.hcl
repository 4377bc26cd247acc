# Component templates of the EMR releases (E-MapReduce, 2015-2017).
#
# Each EMR-*.hcl release names its components and versions (from shared/seed); everything else
# comes from the template of the same key here. `{version}` and `{upstream_version}` are filled
# in when the catalog is loaded; the other placeholders when a cluster is deployed.
#
# What is known and what is not:
# - Versions, dates, status and notes are the seed's. Where the daemons run (beyond NameNode
#   and ResourceManager on masters, DataNode and NodeManager on core nodes, which the seed
#   states) follows Apache Ambari's defaults, a non-HA layout (no JournalNodes, no ZKFC).
# - Artifact URLs follow each project's archive layout. They could not be fetched from this
#   machine (only package registries are reachable), so none is verified and no sha256 is
#   recorded: Apache publishes a checksum and a .asc signature next to every artifact.
# - Commands and ports are the upstream defaults of these versions (Hadoop 2.x ports).

component "OS" {
  display_name = "OS"
  description  = "The operating system of the cluster's hosts: a public machine image of the cloud."
  roles        = ["MASTER", "CORE", "TASK", "GATEWAY"]

  artifact "image" {
    kind            = "image"
    checksum_source = "The cloud's public image ({version}); not a downloadable artifact."
  }
}

component "HADOOP" {
  display_name = "Hadoop"
  description  = "HDFS (NameNode, DataNodes) and YARN (ResourceManager, NodeManagers), MapReduce JobHistory and the YARN Timeline server."
  home         = "{install_dir}"
  roles        = ["MASTER", "CORE", "TASK", "GATEWAY"]
  install      = ["tar -xzf {artifact_dir}/hadoop-{upstream_version}.tar.gz -C {install_dir} --strip-components=1"]
  notes        = "EMR's build ({version}) is upstream Hadoop {upstream_version} plus Alibaba's emr-core module for OSS access, interfaces unchanged. That module is not on Apache mirrors: only the upstream tarball is named here."

  artifact "hadoop" {
    kind            = "archive"
    url             = "https://archive.apache.org/dist/hadoop/common/hadoop-{upstream_version}/hadoop-{upstream_version}.tar.gz"
    checksum_source = "Published by Apache next to the artifact (.mds for releases of this age) with a .asc signature; not fetched here."
  }

  service "namenode" {
    roles                 = ["MASTER"]
    init                  = ["mkdir -p {data_dir}/namenode", "test -d {data_dir}/namenode/current || {home}/bin/hdfs --config {conf_dir} namenode -format -nonInteractive"]
    start                 = "{home}/bin/hdfs --config {conf_dir} namenode"
    ports                 = [8020, 50070]
    config_files          = ["core-site.xml", "hdfs-site.xml", "hadoop-env.sh"]
    start_timeout_seconds = 120

    health {
      kind              = "http"
      url               = "http://{host_ip}:50070/jmx?qry=Hadoop:service=NameNode,name=NameNodeStatus"
      body_contains_any = ["\"State\" : \"active\""]
    }
  }

  service "datanode" {
    roles        = ["CORE"]
    depends_on   = ["namenode"]
    start        = "{home}/bin/hdfs --config {conf_dir} datanode"
    ports        = [50010, 50020, 50075]
    config_files = ["core-site.xml", "hdfs-site.xml", "hadoop-env.sh"]

    health {
      kind = "http"
      url  = "http://{host_ip}:50075/jmx?qry=Hadoop:service=DataNode,name=DataNodeInfo"
    }
  }

  service "resourcemanager" {
    roles        = ["MASTER"]
    depends_on   = ["namenode"]
    start        = "{home}/bin/yarn --config {conf_dir} resourcemanager"
    ports        = [8030, 8031, 8032, 8033, 8088]
    config_files = ["core-site.xml", "yarn-site.xml", "hadoop-env.sh"]

    health {
      kind              = "http"
      url               = "http://{host_ip}:8088/ws/v1/cluster/info"
      body_contains_any = ["\"state\":\"STARTED\""]
    }
  }

  service "nodemanager" {
    roles        = ["CORE", "TASK"]
    depends_on   = ["resourcemanager"]
    start        = "{home}/bin/yarn --config {conf_dir} nodemanager"
    ports        = [8040, 8042, 13562]
    config_files = ["core-site.xml", "yarn-site.xml", "mapred-site.xml", "hadoop-env.sh"]

    health {
      kind = "http"
      url  = "http://{host_ip}:8042/ws/v1/node/info"
    }
  }

  service "mapreduce-historyserver" {
    roles        = ["MASTER"]
    depends_on   = ["namenode", "resourcemanager"]
    start        = "{home}/bin/mapred --config {conf_dir} historyserver"
    ports        = [10020, 19888]
    config_files = ["core-site.xml", "mapred-site.xml", "hadoop-env.sh"]

    health {
      kind = "http"
      url  = "http://{host_ip}:19888/ws/v1/history/info"
    }
  }

  service "yarn-timelineserver" {
    roles        = ["MASTER"]
    depends_on   = ["resourcemanager"]
    start        = "{home}/bin/yarn --config {conf_dir} timelineserver"
    ports        = [8188, 10200]
    config_files = ["yarn-site.xml", "hadoop-env.sh"]

    health {
      kind = "http"
      url  = "http://{host_ip}:8188/ws/v1/timeline"
    }
  }

  config "core-site.xml" {
    path   = "{conf_dir}/core-site.xml"
    format = "xml"
    defaults = {
      "fs.defaultFS"   = "hdfs://{master_ip}:8020"
      "hadoop.tmp.dir" = "{data_dir}/tmp"
    }
  }

  config "hdfs-site.xml" {
    path   = "{conf_dir}/hdfs-site.xml"
    format = "xml"
    defaults = {
      "dfs.namenode.name.dir" = "file://{data_dir}/namenode"
      "dfs.datanode.data.dir" = "file://{data_dir}/datanode"
      "dfs.replication"       = "2"
    }
  }

  config "yarn-site.xml" {
    path   = "{conf_dir}/yarn-site.xml"
    format = "xml"
    defaults = {
      "yarn.resourcemanager.hostname"  = "{master_ip}"
      "yarn.nodemanager.aux-services"  = "mapreduce_shuffle"
      "yarn.nodemanager.local-dirs"    = "{data_dir}/yarn/local"
      "yarn.log-aggregation-enable"    = "true"
      "yarn.timeline-service.enabled"  = "true"
      "yarn.timeline-service.hostname" = "{master_ip}"
    }
  }

  config "mapred-site.xml" {
    path   = "{conf_dir}/mapred-site.xml"
    format = "xml"
    defaults = {
      "mapreduce.framework.name"            = "yarn"
      "mapreduce.jobhistory.address"        = "{master_ip}:10020"
      "mapreduce.jobhistory.webapp.address" = "{master_ip}:19888"
    }
  }

  config "hadoop-env.sh" {
    path   = "{conf_dir}/hadoop-env.sh"
    format = "env"
    defaults = {
      JAVA_HOME       = "{java_home}"
      HADOOP_CONF_DIR = "{conf_dir}"
      HADOOP_LOG_DIR  = "{log_dir}"
      YARN_LOG_DIR    = "{log_dir}"
    }
  }
}

component "SPARK" {
  display_name = "Spark"
  description  = "Spark on YARN: clients everywhere, the history server on the master."
  home         = "{install_dir}"
  roles        = ["MASTER", "CORE", "TASK", "GATEWAY"]
  requires     = ["HADOOP"]
  install      = ["tar -xzf {artifact_dir}/spark-{version}-bin-without-hadoop.tgz -C {install_dir} --strip-components=1"]
  notes        = "The \"without Hadoop\" build: Spark finds the cluster's Hadoop through `hadoop classpath`."

  artifact "spark" {
    kind            = "archive"
    url             = "https://archive.apache.org/dist/spark/spark-{version}/spark-{version}-bin-without-hadoop.tgz"
    checksum_source = "Published by Apache next to the artifact (.md5/.sha for releases of this age) with a .asc signature; not fetched here."
  }

  service "spark-history-server" {
    roles        = ["MASTER"]
    depends_on   = ["namenode"]
    start        = "sh -c 'SPARK_DIST_CLASSPATH=$({hadoop_home}/bin/hadoop classpath) exec {home}/bin/spark-class org.apache.spark.deploy.history.HistoryServer'"
    ports        = [18080]
    config_files = ["spark-defaults.conf", "spark-env.sh"]
    environment = {
      SPARK_CONF_DIR = "{conf_dir}"
    }

    health {
      kind = "http"
      url  = "http://{host_ip}:18080/api/v1/applications"
    }
  }

  config "spark-defaults.conf" {
    path   = "{conf_dir}/spark-defaults.conf"
    format = "key-value"
    defaults = {
      "spark.eventLog.enabled"        = "true"
      "spark.eventLog.dir"            = "hdfs://{master_ip}:8020/spark-history"
      "spark.history.fs.logDirectory" = "hdfs://{master_ip}:8020/spark-history"
    }
  }

  config "spark-env.sh" {
    path   = "{conf_dir}/spark-env.sh"
    format = "env"
    defaults = {
      HADOOP_CONF_DIR = "{hadoop_conf_dir}"
      SPARK_LOG_DIR   = "{log_dir}"
    }
  }
}

component "HIVE" {
  display_name = "Hive"
  description  = "Hive metastore and HiveServer2 on the master; the hive client on gateways."
  home         = "{install_dir}"
  roles        = ["MASTER", "GATEWAY"]
  requires     = ["HADOOP"]
  install      = ["tar -xzf {artifact_dir}/apache-hive-{version}-bin.tar.gz -C {install_dir} --strip-components=1"]
  notes        = "The metastore database (EMR-2.3.1: an internal database per cluster; EMR-3.0.1 and 2.4.1: an external one shared by clusters) is not among the release's components: its connection settings (javax.jdo.option.*) are the user's."

  artifact "hive" {
    kind            = "archive"
    url             = "https://archive.apache.org/dist/hive/hive-{version}/apache-hive-{version}-bin.tar.gz"
    checksum_source = "Published by Apache next to the artifact (.md5 for releases of this age) with a .asc signature; not fetched here."
  }

  service "hive-metastore" {
    roles        = ["MASTER"]
    depends_on   = ["namenode"]
    start        = "{home}/bin/hive --service metastore"
    ports        = [9083]
    config_files = ["hive-site.xml"]
    environment = {
      HIVE_CONF_DIR = "{conf_dir}"
      HADOOP_HOME   = "{hadoop_home}"
    }

    health {
      kind = "tcp"
      port = 9083
    }
  }

  service "hiveserver2" {
    roles        = ["MASTER"]
    depends_on   = ["hive-metastore", "resourcemanager"]
    start        = "{home}/bin/hive --service hiveserver2"
    ports        = [10000]
    config_files = ["hive-site.xml"]
    environment = {
      HIVE_CONF_DIR = "{conf_dir}"
      HADOOP_HOME   = "{hadoop_home}"
    }

    health {
      kind = "tcp"
      port = 10000
    }
  }

  config "hive-site.xml" {
    path   = "{conf_dir}/hive-site.xml"
    format = "xml"
    defaults = {
      "hive.metastore.uris"          = "thrift://{master_ip}:9083"
      "hive.metastore.warehouse.dir" = "/user/hive/warehouse"
      "hive.server2.thrift.port"     = "10000"
    }
  }
}

component "PIG" {
  display_name = "Pig"
  description  = "A client (Pig Latin on MapReduce or Tez); no daemon."
  home         = "{install_dir}"
  roles        = ["MASTER", "GATEWAY"]
  requires     = ["HADOOP"]
  install      = ["tar -xzf {artifact_dir}/pig-{version}.tar.gz -C {install_dir} --strip-components=1"]

  artifact "pig" {
    kind            = "archive"
    url             = "https://archive.apache.org/dist/pig/pig-{version}/pig-{version}.tar.gz"
    checksum_source = "Published by Apache next to the artifact with a .asc signature; not fetched here."
  }
}

component "SQOOP" {
  display_name = "Sqoop"
  description  = "A client moving data between databases and HDFS; no daemon."
  home         = "{install_dir}"
  roles        = ["MASTER", "GATEWAY"]
  requires     = ["HADOOP"]
  install      = ["tar -xzf {artifact_dir}/sqoop-{version}.bin__hadoop-2.0.4-alpha.tar.gz -C {install_dir} --strip-components=1"]

  artifact "sqoop" {
    kind            = "archive"
    url             = "https://archive.apache.org/dist/sqoop/{version}/sqoop-{version}.bin__hadoop-2.0.4-alpha.tar.gz"
    checksum_source = "Published by Apache next to the artifact with a .asc signature; not fetched here."
  }
}

component "HUE" {
  display_name = "Hue"
  description  = "The web workbench (HDFS browser, job browser, SQL editors) on the master."
  home         = "{install_dir}"
  roles        = ["MASTER"]
  requires     = ["HADOOP"]
  install      = ["tar -xzf {artifact_dir}/release-{version}.tar.gz -C {install_dir} --strip-components=1", "make -C {install_dir} apps"]
  notes        = "Hue is not an Apache project: the artifact is the source archive of its release tag on GitHub, built on the host. hue.ini (nested INI sections) is not modelled."

  artifact "hue" {
    kind            = "archive"
    url             = "https://github.com/cloudera/hue/archive/refs/tags/release-{version}.tar.gz"
    checksum_source = "GitHub generates the archive; no checksum is published."
  }

  service "hue-server" {
    roles      = ["MASTER"]
    depends_on = ["namenode"]
    start      = "{home}/build/env/bin/supervisor"
    ports      = [8888]

    health {
      kind = "http"
      url  = "http://{host_ip}:8888/"
    }
  }
}

component "ZEPPELIN" {
  display_name = "Zeppelin"
  description  = "The notebook server on the master."
  home         = "{install_dir}"
  roles        = ["MASTER"]
  requires     = ["SPARK"]
  install      = ["tar -xzf {artifact_dir}/zeppelin-{upstream_version}-bin-all.tgz -C {install_dir} --strip-components=1"]

  artifact "zeppelin" {
    kind            = "archive"
    url             = "https://archive.apache.org/dist/zeppelin/zeppelin-{upstream_version}/zeppelin-{upstream_version}-bin-all.tgz"
    checksum_source = "Published by Apache next to the artifact with a .asc signature; not fetched here."
  }

  service "zeppelin-server" {
    roles        = ["MASTER"]
    start        = "{home}/bin/zeppelin.sh"
    ports        = [8080]
    config_files = ["zeppelin-env.sh"]
    environment = {
      ZEPPELIN_CONF_DIR = "{conf_dir}"
    }

    health {
      kind = "http"
      url  = "http://{host_ip}:8080/"
    }
  }

  config "zeppelin-env.sh" {
    path   = "{conf_dir}/zeppelin-env.sh"
    format = "env"
    defaults = {
      ZEPPELIN_PORT    = "8080"
      ZEPPELIN_LOG_DIR = "{log_dir}"
      SPARK_HOME       = "{spark_home}"
      HADOOP_CONF_DIR  = "{hadoop_conf_dir}"
    }
  }
}

component "HBASE" {
  display_name = "HBase"
  description  = "HBase master on the master, RegionServers on core nodes, coordinated by ZooKeeper."
  home         = "{install_dir}"
  roles        = ["MASTER", "CORE", "GATEWAY"]
  requires     = ["HADOOP"]
  install      = ["tar -xzf {artifact_dir}/hbase-{version}-bin.tar.gz -C {install_dir} --strip-components=1"]

  artifact "hbase" {
    kind            = "archive"
    url             = "https://archive.apache.org/dist/hbase/{version}/hbase-{version}-bin.tar.gz"
    checksum_source = "Published by Apache next to the artifact (.mds for releases of this age) with a .asc signature; not fetched here."
  }

  service "hbase-master" {
    roles        = ["MASTER"]
    depends_on   = ["zookeeper-server", "namenode"]
    start        = "{home}/bin/hbase --config {conf_dir} master start"
    ports        = [16000, 16010]
    config_files = ["hbase-site.xml", "hbase-env.sh"]

    health {
      kind = "http"
      url  = "http://{host_ip}:16010/jmx"
    }
  }

  service "hbase-regionserver" {
    roles        = ["CORE"]
    depends_on   = ["hbase-master"]
    start        = "{home}/bin/hbase --config {conf_dir} regionserver start"
    ports        = [16020, 16030]
    config_files = ["hbase-site.xml", "hbase-env.sh"]

    health {
      kind = "http"
      url  = "http://{host_ip}:16030/jmx"
    }
  }

  config "hbase-site.xml" {
    path   = "{conf_dir}/hbase-site.xml"
    format = "xml"
    defaults = {
      "hbase.rootdir"             = "hdfs://{master_ip}:8020/hbase"
      "hbase.cluster.distributed" = "true"
      "hbase.zookeeper.quorum"    = "{zookeeper_connect}"
    }
  }

  config "hbase-env.sh" {
    path   = "{conf_dir}/hbase-env.sh"
    format = "env"
    defaults = {
      JAVA_HOME        = "{java_home}"
      HBASE_MANAGES_ZK = "false"
      HBASE_LOG_DIR    = "{log_dir}"
    }
  }
}

component "PHOENIX" {
  display_name = "Phoenix"
  description  = "SQL over HBase: a server jar on the HBase hosts and the client; no daemon of its own."
  home         = "{install_dir}"
  roles        = ["MASTER", "CORE", "GATEWAY"]
  requires     = ["HBASE"]
  install      = ["tar -xzf {artifact_dir}/phoenix-{version}-HBase-1.1-bin.tar.gz -C {install_dir} --strip-components=1"]

  artifact "phoenix" {
    kind            = "archive"
    url             = "https://archive.apache.org/dist/phoenix/phoenix-{version}-HBase-1.1/bin/phoenix-{version}-HBase-1.1-bin.tar.gz"
    checksum_source = "Published by Apache next to the artifact with a .asc signature; not fetched here."
  }
}

component "ZOOKEEPER" {
  display_name = "ZooKeeper"
  description  = "The coordination service (HBase, Storm), one server per master."
  home         = "{install_dir}"
  roles        = ["MASTER"]
  install      = ["tar -xzf {artifact_dir}/zookeeper-{version}.tar.gz -C {install_dir} --strip-components=1"]

  artifact "zookeeper" {
    kind            = "archive"
    url             = "https://archive.apache.org/dist/zookeeper/zookeeper-{version}/zookeeper-{version}.tar.gz"
    checksum_source = "Published by Apache next to the artifact (.md5/.sha1 for releases of this age) with a .asc signature; not fetched here."
  }

  service "zookeeper-server" {
    roles        = ["MASTER"]
    init         = ["mkdir -p {data_dir}", "echo {service_index} > {data_dir}/myid"]
    start        = "java -cp '{home}/*:{home}/lib/*:{conf_dir}' org.apache.zookeeper.server.quorum.QuorumPeerMain {conf_dir}/zoo.cfg"
    ports        = [2181, 2888, 3888]
    config_files = ["zoo.cfg"]

    health {
      kind   = "four_letter_word"
      port   = 2181
      send   = "ruok"
      expect = "imok"
    }
  }

  config "zoo.cfg" {
    path   = "{conf_dir}/zoo.cfg"
    format = "properties"
    defaults = {
      tickTime   = "2000"
      initLimit  = "10"
      syncLimit  = "5"
      dataDir    = "{data_dir}"
      clientPort = "2181"
    }

    host_entries {
      service = "zookeeper-server"
      key     = "server.{index}"
      value   = "{ip}:2888:3888"
    }
  }
}

component "GANGLIA" {
  display_name = "Ganglia"
  description  = "Monitoring: gmond on every host, gmetad collecting on the master."
  home         = "{install_dir}"
  roles        = ["MASTER", "CORE", "TASK"]
  install      = ["mkdir -p {install_dir}.src", "tar -xzf {artifact_dir}/ganglia-{version}.tar.gz -C {install_dir}.src --strip-components=1", "cd {install_dir}.src && ./configure --prefix={install_dir} --with-gmetad && make install"]
  notes        = "Ganglia is not an Apache project: the artifact is its source release on SourceForge, built on the host. gmond.conf and gmetad.conf (Ganglia's own nested format) are not modelled."

  artifact "ganglia" {
    kind            = "archive"
    url             = "https://downloads.sourceforge.net/project/ganglia/ganglia%20monitoring%20core/{version}/ganglia-{version}.tar.gz"
    checksum_source = "SourceForge shows MD5 and SHA-1 on the file's page; not fetched here."
  }

  service "gmond" {
    roles = ["MASTER", "CORE", "TASK"]
    start = "{home}/sbin/gmond -c {conf_dir}/gmond.conf -f"
    ports = [8649]

    health {
      kind = "tcp"
      port = 8649
    }
  }

  service "gmetad" {
    roles      = ["MASTER"]
    depends_on = ["gmond"]
    start      = "{home}/sbin/gmetad -c {conf_dir}/gmetad.conf -d 1"
    ports      = [8651, 8652]

    health {
      kind = "tcp"
      port = 8651
    }
  }
}

component "PRESTO" {
  display_name = "Presto"
  description  = "Interactive SQL over the Hive metastore's tables: a coordinator on the master, workers on core and task nodes."
  home         = "{install_dir}"
  roles        = ["MASTER", "CORE", "TASK"]
  install      = ["tar -xzf {artifact_dir}/presto-server-{version}.tar.gz -C {install_dir} --strip-components=1"]
  notes        = "Presto (Facebook's, before the PrestoDB/Trino split) is not an Apache project: it is published on Maven Central. node.properties, jvm.config and the hive catalog file are not modelled."

  artifact "presto-server" {
    kind            = "archive"
    url             = "https://repo1.maven.org/maven2/com/facebook/presto/presto-server/{version}/presto-server-{version}.tar.gz"
    checksum_source = "Maven Central publishes .md5 and .sha1 next to the artifact; not fetched here."
  }

  service "presto-coordinator" {
    roles        = ["MASTER"]
    depends_on   = ["hive-metastore"]
    start        = "{home}/bin/launcher run --etc-dir {conf_dir}/coordinator"
    ports        = [9090]
    config_files = ["coordinator/config.properties"]

    health {
      kind = "http"
      url  = "http://{host_ip}:9090/v1/info"
    }
  }

  service "presto-worker" {
    roles        = ["CORE", "TASK"]
    depends_on   = ["presto-coordinator"]
    start        = "{home}/bin/launcher run --etc-dir {conf_dir}/worker"
    ports        = [9090]
    config_files = ["worker/config.properties"]

    health {
      kind = "http"
      url  = "http://{host_ip}:9090/v1/info"
    }
  }

  config "coordinator/config.properties" {
    path   = "{conf_dir}/coordinator/config.properties"
    format = "properties"
    defaults = {
      coordinator                          = "true"
      "node-scheduler.include-coordinator" = "false"
      "http-server.http.port"              = "9090"
      "discovery-server.enabled"           = "true"
      "discovery.uri"                      = "http://{master_ip}:9090"
    }
  }

  config "worker/config.properties" {
    path   = "{conf_dir}/worker/config.properties"
    format = "properties"
    defaults = {
      coordinator             = "false"
      "http-server.http.port" = "9090"
      "discovery.uri"         = "http://{master_ip}:9090"
    }
  }
}

component "STORM" {
  display_name = "Storm"
  description  = "Stream processing: Nimbus and the UI on the master, supervisors on core and task nodes."
  home         = "{install_dir}"
  roles        = ["MASTER", "CORE", "TASK"]
  install      = ["tar -xzf {artifact_dir}/apache-storm-{version}.tar.gz -C {install_dir} --strip-components=1"]
  notes        = "storm.yaml (YAML: storm.zookeeper.servers, nimbus.seeds, ui.port = 8744) is not modelled."

  artifact "storm" {
    kind            = "archive"
    url             = "https://archive.apache.org/dist/storm/apache-storm-{version}/apache-storm-{version}.tar.gz"
    checksum_source = "Published by Apache next to the artifact with a .asc signature; not fetched here."
  }

  service "storm-nimbus" {
    roles      = ["MASTER"]
    depends_on = ["zookeeper-server"]
    start      = "{home}/bin/storm --config {conf_dir}/storm.yaml nimbus"
    ports      = [6627]

    health {
      kind = "tcp"
      port = 6627
    }
  }

  service "storm-supervisor" {
    roles      = ["CORE", "TASK"]
    depends_on = ["storm-nimbus"]
    start      = "{home}/bin/storm --config {conf_dir}/storm.yaml supervisor"
    ports      = [6700, 6701, 6702, 6703]

    health {
      kind = "process"
    }
  }

  service "storm-ui" {
    roles      = ["MASTER"]
    depends_on = ["storm-nimbus"]
    start      = "{home}/bin/storm --config {conf_dir}/storm.yaml ui"
    ports      = [8744]

    health {
      kind = "http"
      url  = "http://{host_ip}:8744/api/v1/cluster/summary"
    }
  }
}

component "OOZIE" {
  display_name = "Oozie"
  description  = "The workflow scheduler on the master; the oozie client on gateways."
  home         = "{install_dir}"
  roles        = ["MASTER", "GATEWAY"]
  requires     = ["HADOOP"]
  install      = ["mkdir -p {install_dir}.src", "tar -xzf {artifact_dir}/oozie-{version}.tar.gz -C {install_dir}.src --strip-components=1", "cd {install_dir}.src && bin/mkdistro.sh -DskipTests"]
  notes        = "Apache publishes Oozie as source only: the distribution is built on the host with Maven (which needs the network)."

  artifact "oozie" {
    kind            = "archive"
    url             = "https://archive.apache.org/dist/oozie/{version}/oozie-{version}.tar.gz"
    checksum_source = "Published by Apache next to the artifact with a .asc signature; not fetched here."
  }

  service "oozie-server" {
    roles        = ["MASTER"]
    depends_on   = ["namenode", "resourcemanager"]
    start        = "{home}/bin/oozied.sh run"
    ports        = [11000, 11001]
    config_files = ["oozie-site.xml"]
    environment = {
      OOZIE_CONFIG = "{conf_dir}"
    }

    health {
      kind              = "http"
      url               = "http://{host_ip}:11000/oozie/v1/admin/status"
      body_contains_any = ["NORMAL"]
    }
  }

  config "oozie-site.xml" {
    path   = "{conf_dir}/oozie-site.xml"
    format = "xml"
    defaults = {
      "oozie.service.HadoopAccessorService.hadoop.configurations" = "*={hadoop_conf_dir}"
    }
  }
}

component "TEZ" {
  display_name = "Tez"
  description  = "An execution engine for Hive and Pig on YARN: libraries only, no daemon."
  home         = "{install_dir}"
  roles        = ["MASTER", "CORE", "TASK", "GATEWAY"]
  requires     = ["HADOOP"]
  install      = ["tar -xzf {artifact_dir}/apache-tez-{version}-bin.tar.gz -C {install_dir} --strip-components=1"]

  artifact "tez" {
    kind            = "archive"
    url             = "https://archive.apache.org/dist/tez/{version}/apache-tez-{version}-bin.tar.gz"
    checksum_source = "Published by Apache next to the artifact with a .asc signature; not fetched here."
  }

  config "tez-site.xml" {
    path   = "{conf_dir}/tez-site.xml"
    format = "xml"
    defaults = {
      "tez.lib.uris" = "hdfs://{master_ip}:8020/apps/tez/tez.tar.gz"
    }
  }
}
