# STRATA-1.0.0: the release this machine can install, from what the package registries offer
# (checked on 2026-11-26 against Debian 12 "bookworm" and PyPI; every sha256 below was
# verified by downloading the file).
#
# No Hadoop HDFS/YARN: no registry reachable here ships its daemons (pyspark's hadoop-client
# jars hold no NameNode or ResourceManager), so Spark standalone is the resource manager and
# there is no distributed filesystem: event logs and the SQL warehouse live in `{shared_dir}`,
# a directory every host of the cluster sees.
name        = "STRATA-1.0.0"
released    = "2026-11"
status      = "superseded"
installable = true
notes       = "First Strata release: ZooKeeper 3.8.0 (Debian), Spark 4.3.0 standalone (PyPI pyspark), PostgreSQL 15 as the metastore database, the Spark SQL Thrift server for ad-hoc SQL. No Hadoop HDFS/YARN: not obtainable here."
description = "ZooKeeper, Spark standalone with a history server, and ad-hoc SQL through the Spark Thrift server over a PostgreSQL metastore."

component "ZOOKEEPER" {
  display_name = "ZooKeeper"
  version      = "3.8.0"
  description  = "The coordination service; Spark masters keep their recovery state in it. One server per master."
  home         = "/usr/share/zookeeper"
  roles        = ["MASTER"]
  install      = ["dpkg -i {artifact_dir}/*.deb"]
  notes        = "Debian's zkEnv.sh hard-codes /etc/zookeeper/conf, so the server is started with java directly; slf4j-simple (from libslf4j-java) sends its log to stderr, which the supervisor keeps. Installed with `dpkg -i` of the whole verified list at once: `apt-get install --no-download` of the same files wants the repository's copy of an identical version (and a local file of a version with an epoch, default-jre's 2:1.17-74, fails outright), so it cannot install offline; dpkg needs the packages the list assumes (OpenJDK 17 with openjdk-17-jre, libslf4j-java, the Apache Commons/Guava/annotation libraries) already installed."

  artifact "zookeeper" {
    kind    = "deb"
    package = "zookeeper"
    version = "3.8.0-11+deb12u2"
    url     = "https://deb.debian.org/debian/pool/main/z/zookeeper/zookeeper_3.8.0-11+deb12u2_all.deb"
    sha256  = "85b47b3c6bc99fb6c1eefac59e3f59f3d44df436c9b500b6bc9ba0871d52162f"
    size    = 64196
  }

  artifact "libzookeeper-java" {
    kind    = "deb"
    package = "libzookeeper-java"
    version = "3.8.0-11+deb12u2"
    url     = "https://deb.debian.org/debian/pool/main/z/zookeeper/libzookeeper-java_3.8.0-11+deb12u2_all.deb"
    sha256  = "b2976f2bb4352d01713d3e40a8e047a3219c05f5fa53054e050246a6bc179053"
    size    = 1855724
  }

  # The Java libraries and runtime packages apt-get adds for libzookeeper-java on this
  # machine (Debian 12 with OpenJDK 17 and libslf4j-java already installed).
  artifact "default-jre" {
    kind    = "deb"
    package = "default-jre"
    version = "2:1.17-74"
    url     = "https://deb.debian.org/debian/pool/main/j/java-common/default-jre_1.17-74_amd64.deb"
    sha256  = "2a068aa9b0501704a2d383aee06f12e598c813a4bc51ed158948b2e0aabd79db"
    size    = 1056
  }

  artifact "default-jre-headless" {
    kind    = "deb"
    package = "default-jre-headless"
    version = "2:1.17-74"
    url     = "https://deb.debian.org/debian/pool/main/j/java-common/default-jre-headless_1.17-74_amd64.deb"
    sha256  = "bbe9b13d10152caaddaff9cfd74ab702b3b08e8894abafdb9ce5b6ddb7ddf4b6"
    size    = 2936
  }

  artifact "junit4" {
    kind    = "deb"
    package = "junit4"
    version = "4.13.2-3"
    url     = "https://deb.debian.org/debian/pool/main/j/junit4/junit4_4.13.2-3_all.deb"
    sha256  = "2f516bef5fa0f714da4f8b95c367c00aea64159c099c5157579fb95823dbcc56"
    size    = 348396
  }

  artifact "libactivation-java" {
    kind    = "deb"
    package = "libactivation-java"
    version = "1.2.0-2"
    url     = "https://deb.debian.org/debian/pool/main/j/javabeans-activation-framework/libactivation-java_1.2.0-2_all.deb"
    sha256  = "db7a4a7d13e1411eb611e9aa169636e79db373018c82be5ae37dcb053468e4aa"
    size    = 84688
  }

  artifact "libapr1" {
    kind    = "deb"
    package = "libapr1"
    version = "1.7.2-3+deb12u1"
    url     = "https://deb.debian.org/debian/pool/main/a/apr/libapr1_1.7.2-3+deb12u1_amd64.deb"
    sha256  = "4d4c2cbf2cd9652063b8a72fb8a5e434d4cde097454157e4428f036136a4be3e"
    size    = 102116
  }

  artifact "libasm-java" {
    kind    = "deb"
    package = "libasm-java"
    version = "9.4-1"
    url     = "https://deb.debian.org/debian/pool/main/a/asm/libasm-java_9.4-1_all.deb"
    sha256  = "df86dcfa204fd084b4bdec98ded755905614066bafee012ac82fcc94d8958079"
    size    = 388876
  }

  artifact "libcommons-logging-java" {
    kind    = "deb"
    package = "libcommons-logging-java"
    version = "1.2-3"
    url     = "https://deb.debian.org/debian/pool/main/libc/libcommons-logging-java/libcommons-logging-java_1.2-3_all.deb"
    sha256  = "5cbf57bb314020b95113fce920106fe0e85e48f3a0f83cceda0efcddd874255e"
    size    = 62360
  }

  artifact "libdropwizard-metrics-java" {
    kind    = "deb"
    package = "libdropwizard-metrics-java"
    version = "3.2.6-1"
    url     = "https://deb.debian.org/debian/pool/main/d/dropwizard-metrics/libdropwizard-metrics-java_3.2.6-1_all.deb"
    sha256  = "2597703fc3f830534184c71ca2749e0c819fd7a724c7603e3b6264a5fb336a37"
    size    = 239596
  }

  artifact "libeclipse-jdt-core-java" {
    kind    = "deb"
    package = "libeclipse-jdt-core-java"
    version = "3.32.0+eclipse4.26-2"
    url     = "https://deb.debian.org/debian/pool/main/e/eclipse-jdt-core/libeclipse-jdt-core-java_3.32.0+eclipse4.26-2_all.deb"
    sha256  = "525d3ce8e2201b427e8f2342dbe4e15b0b18ff560a95b2b471eec8342eb0d8b2"
    size    = 6481296
  }

  artifact "libel-api-java" {
    kind    = "deb"
    package = "libel-api-java"
    version = "3.0.0-3"
    url     = "https://deb.debian.org/debian/pool/main/e/el-api/libel-api-java_3.0.0-3_all.deb"
    sha256  = "38eb4e9aee5e51a49a31a2f759bcf6e7a007759e507c01b11dac122185ab4f94"
    size    = 64884
  }

  artifact "libfindbugs-annotations-java" {
    kind    = "deb"
    package = "libfindbugs-annotations-java"
    version = "3.1.0~preview2-3"
    url     = "https://deb.debian.org/debian/pool/main/f/findbugs/libfindbugs-annotations-java_3.1.0~preview2-3_all.deb"
    sha256  = "76f56c5e2f68c7149c7d82e645152114275ec68d43810876471c55167b039046"
    size    = 49136
  }

  artifact "libhamcrest-java" {
    kind    = "deb"
    package = "libhamcrest-java"
    version = "2.2-1"
    url     = "https://deb.debian.org/debian/pool/main/libh/libhamcrest-java/libhamcrest-java_2.2-1_all.deb"
    sha256  = "a3e84b0462e4bd75bfcd34dd46c9a5db6b9e7174da2d120339f4dc89aab90a56"
    size    = 121460
  }

  artifact "libjackson2-annotations-java" {
    kind    = "deb"
    package = "libjackson2-annotations-java"
    version = "2.14.0-1"
    url     = "https://deb.debian.org/debian/pool/main/j/jackson-annotations/libjackson2-annotations-java_2.14.0-1_all.deb"
    sha256  = "0e5fadedc1e207c73b9adbeb4900f39e5d18487f93103b4346d548226bfde1af"
    size    = 68760
  }

  artifact "libjackson2-core-java" {
    kind    = "deb"
    package = "libjackson2-core-java"
    version = "2.14.1-2~deb12u1"
    url     = "https://deb.debian.org/debian/pool/main/j/jackson-core/libjackson2-core-java_2.14.1-2~deb12u1_all.deb"
    sha256  = "1624447c70a1e2c204c32315ecd6fa15ab5918bce6d95b8da621bb381d99215f"
    size    = 454204
  }

  artifact "libjackson2-databind-java" {
    kind    = "deb"
    package = "libjackson2-databind-java"
    version = "2.14.0-1+deb12u1"
    url     = "https://deb.debian.org/debian/pool/main/j/jackson-databind/libjackson2-databind-java_2.14.0-1+deb12u1_all.deb"
    sha256  = "0b44caca8d30d03dd046e15f31f6b0ecb86fdb1c6c7ace0966507191a9434217"
    size    = 1586660
  }

  artifact "libjaxb-api-java" {
    kind    = "deb"
    package = "libjaxb-api-java"
    version = "2.3.1-1"
    url     = "https://deb.debian.org/debian/pool/main/j/jaxb-api/libjaxb-api-java_2.3.1-1_all.deb"
    sha256  = "f5a7c564429789bdc78393b8d43439c665f07c7359b6b6225a63fffc070f459c"
    size    = 119168
  }

  artifact "libjctools-java" {
    kind    = "deb"
    package = "libjctools-java"
    version = "2.0.2-1"
    url     = "https://deb.debian.org/debian/pool/main/j/jctools/libjctools-java_2.0.2-1_all.deb"
    sha256  = "934fcedcc0b711997c304ec3d60eff3385ab70f8216a1904eafaeb603b681e8e"
    size    = 187714
  }

  artifact "libjetty9-extra-java" {
    kind    = "deb"
    package = "libjetty9-extra-java"
    version = "9.4.57-1.1~deb12u1"
    url     = "https://deb.debian.org/debian/pool/main/j/jetty9/libjetty9-extra-java_9.4.57-1.1~deb12u1_all.deb"
    sha256  = "0f4f98ddf52b3d49965f2deabc9714ed1c337a73299512e8f94e8483c025edaf"
    size    = 1373888
  }

  artifact "libjetty9-java" {
    kind    = "deb"
    package = "libjetty9-java"
    version = "9.4.57-1.1~deb12u1"
    url     = "https://deb.debian.org/debian/pool/main/j/jetty9/libjetty9-java_9.4.57-1.1~deb12u1_all.deb"
    sha256  = "c36c7358464e6082abfb367d033af4fd7fb9bcf8378801691fa041740bb32f2f"
    size    = 2984356
  }

  artifact "libjffi-java" {
    kind    = "deb"
    package = "libjffi-java"
    version = "1.3.9+ds-6"
    url     = "https://deb.debian.org/debian/pool/main/j/jffi/libjffi-java_1.3.9+ds-6_all.deb"
    sha256  = "5f2f9ce9899c97b7c7c5b22c8c305ec2418d99a9ffeb3711947ab8381b3ea7f0"
    size    = 107668
  }

  artifact "libjffi-jni" {
    kind    = "deb"
    package = "libjffi-jni"
    version = "1.3.9+ds-6"
    url     = "https://deb.debian.org/debian/pool/main/j/jffi/libjffi-jni_1.3.9+ds-6_amd64.deb"
    sha256  = "aa4d60467c6e0e25ccf4cf1104906820355ec9aa2cf7c6872486fe9bd89889a8"
    size    = 24276
  }

  artifact "libjnr-constants-java" {
    kind    = "deb"
    package = "libjnr-constants-java"
    version = "0.10.4-1"
    url     = "https://deb.debian.org/debian/pool/main/j/jnr-constants/libjnr-constants-java_0.10.4-1_all.deb"
    sha256  = "464665525847e3e2357e4e92c920ee7e48b254a45f4eb4512026cd7cc94c310c"
    size    = 1365352
  }

  artifact "libjnr-enxio-java" {
    kind    = "deb"
    package = "libjnr-enxio-java"
    version = "0.32.13-1"
    url     = "https://deb.debian.org/debian/pool/main/j/jnr-enxio/libjnr-enxio-java_0.32.13-1_all.deb"
    sha256  = "adf2837384354eb5697bd5b777be7becd90fe938d4f751a6dc6ca07844cd0bfe"
    size    = 33988
  }

  artifact "libjnr-ffi-java" {
    kind    = "deb"
    package = "libjnr-ffi-java"
    version = "2.2.7-1"
    url     = "https://deb.debian.org/debian/pool/main/j/jnr-ffi/libjnr-ffi-java_2.2.7-1_all.deb"
    sha256  = "4c33bd15a65152c49438b16117c089f28ed339ec0de180c2cc98cd5f35e3e75e"
    size    = 604004
  }

  artifact "libjnr-posix-java" {
    kind    = "deb"
    package = "libjnr-posix-java"
    version = "3.1.10-1"
    url     = "https://deb.debian.org/debian/pool/main/j/jnr-posix/libjnr-posix-java_3.1.10-1_all.deb"
    sha256  = "cc57e93e75a417b56f2fb21bfab4d126730f75011478a79b3ca7f8a0d8fd57f2"
    size    = 257308
  }

  artifact "libjnr-unixsocket-java" {
    kind    = "deb"
    package = "libjnr-unixsocket-java"
    version = "0.18-4"
    url     = "https://deb.debian.org/debian/pool/main/j/jnr-unixsocket/libjnr-unixsocket-java_0.18-4_all.deb"
    sha256  = "761217a0a6e3f388f670fd9ad93f8a97ec95f186dfdc028114e6cf6292660968"
    size    = 43920
  }

  artifact "libjnr-x86asm-java" {
    kind    = "deb"
    package = "libjnr-x86asm-java"
    version = "1.0.2-5.1"
    url     = "https://deb.debian.org/debian/pool/main/j/jnr-x86asm/libjnr-x86asm-java_1.0.2-5.1_all.deb"
    sha256  = "34add50d0586bd6250440c56bd9f8f58d7b45ce08faa0d5fece17e0f5cb25918"
    size    = 206692
  }

  artifact "libjsp-api-java" {
    kind    = "deb"
    package = "libjsp-api-java"
    version = "2.3.4-3"
    url     = "https://deb.debian.org/debian/pool/main/j/jsp-api/libjsp-api-java_2.3.4-3_all.deb"
    sha256  = "94a65d4ff325204c8cffb48a8e7d4d6f834e34fc3f4f0331a6d64fc9cba4a8b7"
    size    = 53680
  }

  artifact "liblog4j1.2-java" {
    kind    = "deb"
    package = "liblog4j1.2-java"
    version = "1.2.17-11"
    url     = "https://deb.debian.org/debian/pool/main/a/apache-log4j1.2/liblog4j1.2-java_1.2.17-11_all.deb"
    sha256  = "a8e879badd16955724ff38e064cce0a52c377558f58afd8e6d01bf3b81944cb4"
    size    = 444340
  }

  artifact "libmail-java" {
    kind    = "deb"
    package = "libmail-java"
    version = "1.6.5-2"
    url     = "https://deb.debian.org/debian/pool/main/j/javamail/libmail-java_1.6.5-2_all.deb"
    sha256  = "2f7f75db849320819f17f5b62ac63eef275f0b1473b9d5b6040a10677c8bd6ec"
    size    = 701404
  }

  artifact "libnetty-java" {
    kind    = "deb"
    package = "libnetty-java"
    version = "1:4.1.48-7+deb12u2"
    url     = "https://deb.debian.org/debian/pool/main/n/netty/libnetty-java_4.1.48-7+deb12u2_all.deb"
    sha256  = "a8368dfd04f0dc8f6c9234fd99069106a9be0a60f7a71e6d212ab7629cd1e1a3"
    size    = 3626988
  }

  artifact "libnetty-tcnative-java" {
    kind    = "deb"
    package = "libnetty-tcnative-java"
    version = "2.0.28-1"
    url     = "https://deb.debian.org/debian/pool/main/n/netty-tcnative/libnetty-tcnative-java_2.0.28-1_all.deb"
    sha256  = "da71f6b0146183a3526188017720dfb42ec3901edd9db7daacc657fb05c2fa5b"
    size    = 25756
  }

  artifact "libnetty-tcnative-jni" {
    kind    = "deb"
    package = "libnetty-tcnative-jni"
    version = "2.0.28-1+b1"
    url     = "https://deb.debian.org/debian/pool/main/n/netty-tcnative/libnetty-tcnative-jni_2.0.28-1+b1_amd64.deb"
    sha256  = "ea6dc1d2740356547797cc8603612389033b21e657e51aa02b015baaf087ba64"
    size    = 34088
  }

  artifact "libservlet-api-java" {
    kind    = "deb"
    package = "libservlet-api-java"
    version = "4.0.1-2"
    url     = "https://deb.debian.org/debian/pool/main/s/servlet-api/libservlet-api-java_4.0.1-2_all.deb"
    sha256  = "d4cb9329f203d1251d90583f86223fbf2de5bf60e174c1d8fdc8b1c34f320af0"
    size    = 80988
  }

  artifact "libsnappy-java" {
    kind    = "deb"
    package = "libsnappy-java"
    version = "1.1.8.3-1"
    url     = "https://deb.debian.org/debian/pool/main/s/snappy-java/libsnappy-java_1.1.8.3-1_all.deb"
    sha256  = "529cb792389534224ba1513d55ba2c2af287c44cdf1dc8ec2d3b44474cce27d7"
    size    = 98920
  }

  artifact "libsnappy-jni" {
    kind    = "deb"
    package = "libsnappy-jni"
    version = "1.1.8.3-1"
    url     = "https://deb.debian.org/debian/pool/main/s/snappy-java/libsnappy-jni_1.1.8.3-1_amd64.deb"
    sha256  = "4f61feb6a45d677b92a27f7e9a0201feb00d9859fd49ced78eb1f7f2bf29d18a"
    size    = 7152
  }

  artifact "libsnappy1v5" {
    kind    = "deb"
    package = "libsnappy1v5"
    version = "1.1.9-3"
    url     = "https://deb.debian.org/debian/pool/main/s/snappy/libsnappy1v5_1.1.9-3_amd64.deb"
    sha256  = "a2ec50d0f92864e7524c96352bc2c62221126ee1ef58f77af7bf369c60b6e98f"
    size    = 25964
  }

  artifact "libspring-beans-java" {
    kind    = "deb"
    package = "libspring-beans-java"
    version = "4.3.30-2"
    url     = "https://deb.debian.org/debian/pool/main/libs/libspring-java/libspring-beans-java_4.3.30-2_all.deb"
    sha256  = "0baca19f5bc0187d0bf24edb931d8b602b18c0ca82b81743f5354d2af473b5d6"
    size    = 680464
  }

  artifact "libspring-core-java" {
    kind    = "deb"
    package = "libspring-core-java"
    version = "4.3.30-2"
    url     = "https://deb.debian.org/debian/pool/main/libs/libspring-java/libspring-core-java_4.3.30-2_all.deb"
    sha256  = "2900c4ed5b423772fb599e09e8ee1edd42de770b0d17f1120902eea1ffaa8ddc"
    size    = 1021588
  }

  artifact "libtaglibs-standard-impl-java" {
    kind    = "deb"
    package = "libtaglibs-standard-impl-java"
    version = "1.2.5-3"
    url     = "https://deb.debian.org/debian/pool/main/t/taglibs-standard/libtaglibs-standard-impl-java_1.2.5-3_all.deb"
    sha256  = "a8a33856e0c1d8c9da285506269fbca3344317ff496538d47d430e22a7b92547"
    size    = 187020
  }

  artifact "libtaglibs-standard-spec-java" {
    kind    = "deb"
    package = "libtaglibs-standard-spec-java"
    version = "1.2.5-3"
    url     = "https://deb.debian.org/debian/pool/main/t/taglibs-standard/libtaglibs-standard-spec-java_1.2.5-3_all.deb"
    sha256  = "269e7082d47b020dd865dd96dcb6a4032ca71ed29c13e173cceec4a3f5ff62e1"
    size    = 37844
  }

  artifact "libtomcat9-java" {
    kind    = "deb"
    package = "libtomcat9-java"
    version = "9.0.70-2"
    url     = "https://deb.debian.org/debian/pool/main/t/tomcat9/libtomcat9-java_9.0.70-2_all.deb"
    sha256  = "537c290cf5499eb09323c14f096be6f2946bba8968c089d8c8c21952bc8768ff"
    size    = 6190220
  }

  artifact "libwebsocket-api-java" {
    kind    = "deb"
    package = "libwebsocket-api-java"
    version = "1.1-2"
    url     = "https://deb.debian.org/debian/pool/main/w/websocket-api/libwebsocket-api-java_1.1-2_all.deb"
    sha256  = "f08f4a5abd611307066fda4f0eaf4cc9bd6e81de8274800b703769a6a775e7ce"
    size    = 40072
  }

  service "zookeeper-server" {
    roles                 = ["MASTER"]
    init                  = ["mkdir -p {data_dir}", "echo {service_index} > {data_dir}/myid"]
    start                 = "java -cp {conf_dir}:/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar org.apache.zookeeper.server.quorum.QuorumPeerMain {conf_dir}/zoo.cfg"
    ports                 = [2181, 2888, 3888]
    config_files          = ["zoo.cfg"]
    start_timeout_seconds = 30

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
      tickTime                    = "2000"
      initLimit                   = "10"
      syncLimit                   = "5"
      dataDir                     = "{data_dir}"
      clientPort                  = "2181"
      clientPortAddress           = "{host_ip}"
      maxClientCnxns              = "60"
      "4lw.commands.whitelist"    = "ruok,srvr,stat,mntr"
      "admin.enableServer"        = "false"
      "autopurge.snapRetainCount" = "3"
      "autopurge.purgeInterval"   = "24"
    }

    host_entries {
      service = "zookeeper-server"
      key     = "server.{index}"
      value   = "{ip}:2888:3888"
    }
  }
}

component "SPARK" {
  display_name = "Spark"
  version      = "4.3.0"
  description  = "Spark standalone: the master (recovery state in ZooKeeper) on masters, workers on core and task nodes, the history server on masters, spark-submit everywhere."
  home         = "{install_dir}/pyspark"
  roles        = ["MASTER", "CORE", "TASK", "GATEWAY"]
  requires     = ["ZOOKEEPER"]
  install = [
    "python3 -m pip install --no-deps --target {install_dir} {artifact_dir}/pyspark-4.3.0.tar.gz {artifact_dir}/py4j-0.10.9.9-py2.py3-none-any.whl",
    "mkdir -p {shared_dir}/spark-events",
  ]
  notes = "PyPI has only the sdist of pyspark 4.3.0 (no wheel); installing it builds a wheel, for which pip fetches setuptools and wheel from PyPI (not pinned here). The installed package is a full SPARK_HOME (bin/spark-class, bin/spark-submit, sbin/spark-daemon.sh, 280 jars, Python examples such as examples/src/main/python/pi.py) and carries the Hive 2.3.10 metastore client, spark-hive-thriftserver and beeline. Needs Java 17 (installed) and Python >= 3.10 (3.11 installed)."

  artifact "pyspark" {
    kind    = "pypi"
    package = "pyspark"
    version = "4.3.0"
    url     = "https://files.pythonhosted.org/packages/46/b2/4e28aaffe28db4745ac5df3ee9115719c1b5da5cce4106bee99c82d1eb2c/pyspark-4.3.0.tar.gz"
    sha256  = "e8c517948eff7088a7aa07449aa8eafa4a15a8d50319de2525a6fd26622476c6"
    size    = 455910862
  }

  # pyspark requires py4j >= 0.10.9.7, < 0.10.9.10.
  artifact "py4j" {
    kind    = "pypi"
    package = "py4j"
    version = "0.10.9.9"
    url     = "https://files.pythonhosted.org/packages/bd/db/ea0203e495be491c85af87b66e37acfd3bf756fd985f87e46fc5e3bf022c/py4j-0.10.9.9-py2.py3-none-any.whl"
    sha256  = "c7c26e4158defb37b0bb124933163641a2ff6e3a3913f7811b0ddbe07ed61533"
    size    = 203008
  }

  service "spark-master" {
    roles        = ["MASTER"]
    depends_on   = ["zookeeper-server"]
    start        = "{home}/bin/spark-class org.apache.spark.deploy.master.Master --host {host_ip} --port 7077 --webui-port 8080"
    ports        = [7077, 8080]
    config_files = ["spark-defaults.conf", "spark-env.sh"]
    environment = {
      SPARK_CONF_DIR = "{conf_dir}"
    }

    # The leader reports ALIVE; with several masters the others wait as STANDBY.
    health {
      kind              = "http"
      url               = "http://{host_ip}:8080/json/"
      body_contains_any = ["\"status\" : \"ALIVE\"", "\"status\" : \"STANDBY\""]
    }
  }

  service "spark-worker" {
    roles        = ["CORE", "TASK"]
    depends_on   = ["spark-master"]
    init         = ["mkdir -p {data_dir}/work"]
    start        = "{home}/bin/spark-class org.apache.spark.deploy.worker.Worker --host {host_ip} --port 7078 --webui-port 8081 {spark_master_url}"
    ports        = [7078, 8081]
    config_files = ["spark-defaults.conf", "spark-env.sh"]
    environment = {
      SPARK_CONF_DIR = "{conf_dir}"
    }

    health {
      kind = "http"
      url  = "http://{host_ip}:8081/json/"
    }
  }

  service "spark-history-server" {
    roles        = ["MASTER"]
    depends_on   = ["spark-master"]
    start        = "{home}/bin/spark-class org.apache.spark.deploy.history.HistoryServer"
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
      "spark.master"                  = "{spark_master_url}"
      "spark.deploy.recoveryMode"     = "ZOOKEEPER"
      "spark.deploy.zookeeper.url"    = "{zookeeper_connect}"
      "spark.deploy.zookeeper.dir"    = "/strata/spark"
      "spark.eventLog.enabled"        = "true"
      "spark.eventLog.dir"            = "file:{shared_dir}/spark-events"
      "spark.history.fs.logDirectory" = "file:{shared_dir}/spark-events"
      "spark.executor.memory"         = "512m"
    }
  }

  config "spark-env.sh" {
    path   = "{conf_dir}/spark-env.sh"
    format = "env"
    defaults = {
      SPARK_LOCAL_IP      = "{host_ip}"
      SPARK_WORKER_MEMORY = "1g"
      SPARK_WORKER_CORES  = "1"
      SPARK_WORKER_DIR    = "{data_dir}/work"
      SPARK_LOG_DIR       = "{log_dir}"
      PYSPARK_PYTHON      = "/usr/bin/python3"
      PYTHONPATH          = "{install_dir}"
    }
  }
}

component "POSTGRESQL" {
  display_name = "PostgreSQL"
  version      = "15.18"
  description  = "The metastore database of the Spark SQL Thrift server, on the master."
  home         = "/usr/lib/postgresql/15"
  roles        = ["MASTER"]
  notes        = "Installed on this machine already (Debian postgresql-15 15.18-0+deb12u1, server binaries in /usr/lib/postgresql/15/bin); nothing is downloaded. The server runs as the system user postgres."

  artifact "postgresql-15" {
    kind    = "system"
    package = "postgresql-15"
    version = "15.18-0+deb12u1"
  }

  # The cluster lives in {data_dir}/main (Debian's layout): {data_dir} itself may be made by
  # the deployer with its own owner and mode, the cluster directory must be the server's, 0700.
  # The server is started with setpriv, which execs it as postgres: it is the supervised
  # process itself (runuser would stay in between as a parent that SIGKILLs it 2 s after a TERM).
  service "metastore-db" {
    roles = ["MASTER"]
    init = [
      "install -d -o postgres -g postgres -m 0700 {data_dir}/main {run_dir}",
      "test -f {data_dir}/main/PG_VERSION || runuser -u postgres -- {home}/bin/initdb -D {data_dir}/main --auth-local=peer --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8",
    ]
    start = "setpriv --reuid=postgres --regid=postgres --init-groups {home}/bin/postgres -D {data_dir}/main -c config_file={conf_dir}/postgresql.conf"
    stop  = "runuser -u postgres -- {home}/bin/pg_ctl -D {data_dir}/main stop -m fast -w"
    post_start = [
      "runuser -u postgres -- {home}/bin/psql -h {run_dir} -d postgres -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'hive'\" | grep -q 1 || runuser -u postgres -- {home}/bin/psql -h {run_dir} -d postgres -c 'CREATE ROLE hive LOGIN'",
      "runuser -u postgres -- {home}/bin/psql -h {run_dir} -d postgres -c \"ALTER ROLE hive PASSWORD '{metastore_password}'\"",
      "runuser -u postgres -- {home}/bin/psql -h {run_dir} -d postgres -tAc \"SELECT 1 FROM pg_database WHERE datname = 'metastore'\" | grep -q 1 || runuser -u postgres -- {home}/bin/createdb -h {run_dir} -O hive metastore",
    ]
    ports        = [5432]
    config_files = ["postgresql.conf", "pg_hba.conf"]

    health {
      kind    = "command"
      command = "{home}/bin/pg_isready -h {host_ip} -p 5432"
    }
  }

  config "postgresql.conf" {
    path   = "{conf_dir}/postgresql.conf"
    format = "postgresql"
    defaults = {
      listen_addresses        = "{host_ip}"
      port                    = "5432"
      unix_socket_directories = "{run_dir}"
      hba_file                = "{conf_dir}/pg_hba.conf"
      max_connections         = "50"
      shared_buffers          = "64MB"
      password_encryption     = "scram-sha-256"
      log_destination         = "stderr"
    }
  }

  config "pg_hba.conf" {
    path   = "{conf_dir}/pg_hba.conf"
    format = "columns"
    defaults = {
      "local all postgres"                 = "peer"
      "host metastore hive {cluster_cidr}" = "scram-sha-256"
    }
  }
}

component "POSTGRESQL_JDBC" {
  display_name = "PostgreSQL JDBC driver"
  version      = "42.5.5"
  description  = "The JDBC driver the metastore client uses: /usr/share/java/postgresql.jar."
  home         = "/usr/share/java"
  roles        = ["MASTER", "GATEWAY"]
  install      = ["dpkg -i {artifact_dir}/*.deb"]
  notes        = "No dependencies, so dpkg installs the verified .deb as it is: `apt-get install --no-download <file>.deb` would want the same version from the mirror instead (apt prefers the repository's copy of an identical version) and fail offline."

  artifact "libpostgresql-jdbc-java" {
    kind    = "deb"
    package = "libpostgresql-jdbc-java"
    version = "42.5.5-0+deb12u1"
    url     = "https://deb.debian.org/debian/pool/main/libp/libpgjava/libpostgresql-jdbc-java_42.5.5-0+deb12u1_all.deb"
    sha256  = "2092c08d8ff68fc59434fc32fa75714f38b74bfe4fd78f457765c73d47963832"
    size    = 958408
  }
}

component "SPARK_THRIFT" {
  display_name = "Spark SQL Thrift server"
  version      = "4.3.0"
  description  = "A HiveServer2-compatible SQL endpoint (JDBC/ODBC, beeline) on the master for ad-hoc queries, running as a Spark application with its table metadata in PostgreSQL."
  roles        = ["MASTER"]
  requires     = ["SPARK", "POSTGRESQL", "POSTGRESQL_JDBC"]
  notes        = "Part of the pyspark artifact (spark-hive-thriftserver_2.13-4.3.0.jar, Hive 2.3.10 metastore client). The metastore schema is created by DataNucleus SchemaTool before the server starts: left to the server, its lazy schema creation deadlocks on PostgreSQL (an ALTER TABLE ... ADD CONSTRAINT waits on the server's own open transaction). It takes one executor core (spark.cores.max = 1) for as long as it runs."

  service "spark-thrift-server" {
    roles      = ["MASTER"]
    depends_on = ["spark-master", "metastore-db"]
    init = [
      "mkdir -p {shared_dir}/warehouse",
      "cd {conf_dir} && unzip -o -q {spark_home}/jars/hive-metastore-2.3.10.jar package.jdo",
      "java -cp '{spark_home}/jars/*:/usr/share/java/postgresql.jar' org.datanucleus.store.schema.SchemaTool -create -api JDO -props {conf_dir}/metastore-schema.properties {conf_dir}/package.jdo",
    ]
    start                 = "{spark_home}/bin/spark-submit --class org.apache.spark.sql.hive.thriftserver.HiveThriftServer2 --name 'Thrift JDBC/ODBC Server' --master {spark_master_url} --driver-class-path {conf_dir}:/usr/share/java/postgresql.jar --conf spark.cores.max=1 --executor-memory 512m"
    ports                 = [10000, 4040]
    config_files          = ["hive-site.xml", "metastore-schema.properties", "spark-defaults.conf", "spark-env.sh"]
    start_timeout_seconds = 120
    environment = {
      SPARK_CONF_DIR = "{spark_conf_dir}"
    }

    health {
      kind = "tcp"
      port = 10000
    }
  }

  config "hive-site.xml" {
    path   = "{conf_dir}/hive-site.xml"
    format = "xml"
    mode   = "0600"
    defaults = {
      "javax.jdo.option.ConnectionURL"        = "jdbc:postgresql://{metastore_host}:5432/metastore"
      "javax.jdo.option.ConnectionDriverName" = "org.postgresql.Driver"
      "javax.jdo.option.ConnectionUserName"   = "hive"
      "javax.jdo.option.ConnectionPassword"   = "{metastore_password}"
      "datanucleus.schema.autoCreateAll"      = "true"
      "hive.metastore.schema.verification"    = "false"
      "hive.metastore.warehouse.dir"          = "file:{shared_dir}/warehouse"
      "hive.server2.thrift.bind.host"         = "{host_ip}"
      "hive.server2.thrift.port"              = "10000"
    }
  }

  # What SchemaTool needs to create the metastore tables (the server's own defaults for
  # identifier names and value generation, so the tables match what it expects).
  config "metastore-schema.properties" {
    path   = "{conf_dir}/metastore-schema.properties"
    format = "properties"
    mode   = "0600"
    defaults = {
      "javax.jdo.option.ConnectionURL"                 = "jdbc:postgresql://{metastore_host}:5432/metastore"
      "javax.jdo.option.ConnectionDriverName"          = "org.postgresql.Driver"
      "javax.jdo.option.ConnectionUserName"            = "hive"
      "javax.jdo.option.ConnectionPassword"            = "{metastore_password}"
      "datanucleus.identifierFactory"                  = "datanucleus1"
      "datanucleus.rdbms.useLegacyNativeValueStrategy" = "true"
    }
  }
}
